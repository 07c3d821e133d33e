import type { Dimensions } from '../../domain/inventory/inventory-row';
import type { AllocationQueryInput, InventoryDeps } from '../../ports/inventory-requests';

export interface AllocationItem {
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  channel: string;
  customerGroup?: string;
  allocated: number;
}

/** `POST /api/v1/inventory/allocation/query`: what each allocation group holds, per row. */
export async function queryAllocations(
  deps: InventoryDeps,
  request: AllocationQueryInput
): Promise<{ items: AllocationItem[] }> {
  const input = deps.validators.allocationQuery(request);
  const rows = await deps.store.findRows({
    skus: input.skus,
    ...(input.sourceIds === undefined ? {} : { sourceIds: input.sourceIds }),
  });
  const items: AllocationItem[] = [];
  const keyOf = (row: (typeof rows)[number]) => JSON.stringify([row.sku, row.sourceId, row.dimensionsKey]);
  const sorted = [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  for (const row of sorted) {
    for (const entry of row.allocations) {
      if (input.channel !== undefined && entry.channel !== input.channel) continue;
      items.push({
        sku: row.sku,
        sourceId: row.sourceId,
        ...(row.dimensionsKey === '' ? {} : { dimensions: { ...row.dimensions } }),
        channel: entry.channel,
        ...(entry.customerGroup === undefined ? {} : { customerGroup: entry.customerGroup }),
        allocated: entry.quantity,
      });
    }
  }
  return { items };
}
