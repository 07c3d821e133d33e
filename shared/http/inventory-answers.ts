import type { HttpResponseInit } from '@azure/functions';
import type { AllocationResult } from '../app/inventory/allocate-inventory';

/** Set on the answer to a request whose id had been handled before (nothing changed this time). */
const replayedHeader = 'idempotent-replayed';

/** Headers of an answer to a request whose id may have been handled before. */
export function replayed(duplicate: boolean): Record<string, string> {
  return duplicate ? { [replayedHeader]: 'true' } : {};
}

/** An allocation use case's result: the row's allocation view, marked when replayed. */
export function allocationAnswer(result: AllocationResult): HttpResponseInit {
  const { duplicate, ...view } = result;
  return { jsonBody: view, headers: replayed(duplicate) };
}
