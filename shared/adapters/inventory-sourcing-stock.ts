import type { StockLevel } from '../domain/fulfillment/planning-problem';
import { reserveCheckMeasure, safetyStockTerm } from '../domain/inventory/measures/measures';
import type { SourcingStock } from '../ports/sourcing-stock';

/** The inventory query as this adapter uses it (shared/app/query-inventory.ts, per SKU and source). */
export type InventoryQuery = (request: {
  skus: string[];
  sourceIds?: string[];
  groupBy: 'source';
}) => Promise<{ items: { sku: string; sourceId: string | null; measures: Record<string, number> }[] }>;

/** SKUs per inventory query (the query route's own limit is not ours to assume larger). */
const skusPerQuery = 100;

/**
 * SourcingStock on top of the inventory store's query. The store's `availableToReserve` already
 * holds back each source's safety stock, while the optimizer wants stock *before* safety stock (it
 * holds it back itself when the strategy's `useSafetyStock` is on). So the safety stock the query
 * subtracted is added back here: it is subtracted once, by the optimizer, or not at all.
 */
export class InventorySourcingStock implements SourcingStock {
  constructor(private readonly query: InventoryQuery) {}

  async available(skus: readonly string[], sourceIds?: readonly string[]): Promise<StockLevel[]> {
    const levels: StockLevel[] = [];
    if (sourceIds !== undefined && sourceIds.length === 0) return levels;
    const unique = [...new Set(skus)];
    for (let start = 0; start < unique.length; start += skusPerQuery) {
      const { items } = await this.query({
        skus: unique.slice(start, start + skusPerQuery),
        ...(sourceIds === undefined ? {} : { sourceIds: [...sourceIds] }),
        groupBy: 'source',
      });
      for (const item of items) {
        if (item.sourceId === null) continue;
        const quantity = (item.measures[reserveCheckMeasure] ?? 0) + (item.measures[safetyStockTerm] ?? 0);
        if (quantity > 0) levels.push({ sku: item.sku, sourceId: item.sourceId, quantity });
      }
    }
    return levels;
  }
}
