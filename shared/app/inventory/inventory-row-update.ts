import { conflictBackoffMs, sleep } from './conflict-backoff';
import { ConflictError } from '../../domain/errors';
import type { InventoryRow, RowAddress } from '../../domain/inventory/inventory-row';
import type { InventoryStore, InventoryWrite, VersionedRow } from '../../ports/inventory';

/** What one attempt decided: the row to write (if it changes), other documents, and the answer. */
export interface RowPlan<T> {
  row?: InventoryRow;
  writes?: InventoryWrite[];
  result: T;
}

const maxAttempts = 40;

/**
 * Read–decide–write of one row with optimistic concurrency: `plan` sees the row as stored (and may
 * read more, e.g. an idempotency record), the row and the plan's other writes are committed in one
 * batch whose row write is ETag-checked (or a create, when the row did not exist), and if anything
 * raced — the row changed, or a record the plan meant to create appeared — the whole attempt runs
 * again on fresh reads. `plan` throws to refuse (nothing is written).
 */
export async function updateInventoryRow<T>(
  store: InventoryStore,
  address: RowAddress,
  plan: (stored: VersionedRow | undefined) => Promise<RowPlan<T>>,
  wait: (ms: number) => Promise<void> = sleep
): Promise<T> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stored = await store.getRow(address);
    const decided = await plan(stored);
    const writes: InventoryWrite[] = [];
    if (decided.row !== undefined) {
      writes.push(
        stored === undefined
          ? { kind: 'create-row', row: decided.row }
          : { kind: 'replace-row', row: decided.row, etag: stored.etag }
      );
    }
    writes.push(...(decided.writes ?? []));
    const outcome = await store.commit(address.sku, writes);
    if (outcome.ok) return decided.result;
    await wait(conflictBackoffMs(attempt));
  }
  throw new ConflictError(
    `SKU ${address.sku} at source ${address.sourceId} is being changed by others; try again.`,
    { code: 'concurrent-update' }
  );
}
