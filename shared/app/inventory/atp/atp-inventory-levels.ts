import { reserveCheckMeasure } from '../../../domain/inventory/measures/measures';
import type { InventoryLevels, StockLevel } from '../../../ports/inventory-schedules';
import type { InventoryDeps } from '../../../ports/inventory-requests';
import { queryInventory } from '../query-inventory';

/** SKUs per inventory query (the query route's own limit is not ours to assume larger). */
const skusPerQuery = 100;

/**
 * Day-0 stock for ATP and holds from the inventory core's query: availableToReserve per SKU and
 * source, summed over dimensions (on-hand less reservations, allocations and safety stock).
 */
export function inventoryLevelsFrom(deps: InventoryDeps): InventoryLevels {
  return {
    async availableToReserve(skus, sourceIds) {
      const levels: StockLevel[] = [];
      for (let start = 0; start < skus.length; start += skusPerQuery) {
        const { items } = await queryInventory(deps, {
          skus: skus.slice(start, start + skusPerQuery),
          ...(sourceIds === undefined ? {} : { sourceIds: [...sourceIds] }),
          groupBy: 'source',
        });
        for (const item of items) {
          if (item.sourceId === null) continue;
          levels.push({
            sku: item.sku,
            sourceId: item.sourceId,
            quantity: item.measures[reserveCheckMeasure] ?? 0,
          });
        }
      }
      return levels;
    },
  };
}
