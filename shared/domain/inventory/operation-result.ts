import type { DomainError } from '../errors';

/**
 * What an inventory rule answers: the new state, or the DomainError that refuses the operation.
 * The rules never throw for a business refusal, so callers that evaluate many operations in a row
 * (a group commit of reservations, a bulk of change events) can collect each one's outcome.
 */
export type OperationResult<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function succeeded<T>(value: T): OperationResult<T> {
  return { ok: true, value };
}

export function refused<T>(error: DomainError): OperationResult<T> {
  return { ok: false, error };
}
