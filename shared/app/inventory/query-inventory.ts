import type { Dimensions, InventoryRow } from '../../domain/inventory/inventory-row';
import { measureView, sumMeasureViews } from '../../domain/inventory/measures/measures';
import type { Source } from '../../domain/fulfillment/source';
import type { InventoryDeps, InventoryGrouping, InventoryQueryInput } from '../../ports/inventory-requests';

/**
 * One line of a query answer. `sourceId` is null when summed over sources (`groupBy: "none"`);
 * `dimensions` is present only per row (`groupBy: "row"`).
 */
export interface InventoryItem {
  sku: string;
  sourceId: string | null;
  dimensions?: Dimensions;
  measures: Record<string, number>;
}

/** Beyond this many sources, one list of all sources is cheaper than a read per source. */
const sourceReadsBeforeList = 20;

/**
 * `POST /api/v1/inventory/query`: the measures — physical, system, safety stock and calculated —
 * of the SKUs' rows, optionally only at some sources and with some dimensions, per source (default),
 * per row, or summed per SKU. SKUs or sources without rows have no items. Calculated measures of a
 * sum are the sums of the rows' (formulas are linear; each row subtracts its source's safety stock).
 */
export async function queryInventory(
  deps: InventoryDeps,
  request: InventoryQueryInput
): Promise<{ items: InventoryItem[] }> {
  const input = deps.validators.query(request);
  const wanted = input.dimensions;
  const rows = (
    await deps.store.findRows({
      skus: input.skus,
      ...(input.sourceIds === undefined ? {} : { sourceIds: input.sourceIds }),
    })
  ).filter((row) => wanted === undefined || hasDimensions(row, wanted));
  const safetyStock = await safetyStocks(deps, [...new Set(rows.map((r) => r.sourceId))]);
  return { items: groupRows(rows, input.groupBy ?? 'source', deps, safetyStock) };
}

function hasDimensions(row: InventoryRow, wanted: Dimensions): boolean {
  return Object.entries(wanted).every(([name, value]) => row.dimensions[name] === value);
}

/** Safety stock per source id, read once per query (0 for a source that no longer exists). */
async function safetyStocks(deps: InventoryDeps, sourceIds: string[]): Promise<Map<string, number>> {
  let sources: (Source | undefined)[];
  if (sourceIds.length > sourceReadsBeforeList) {
    const all = new Map((await deps.sources.list()).map((s) => [s.id, s]));
    sources = sourceIds.map((id) => all.get(id));
  } else {
    sources = await Promise.all(sourceIds.map(async (id) => (await deps.sources.get(id))?.source));
  }
  return new Map(sourceIds.map((id, i) => [id, sources[i]?.safetyStock ?? 0]));
}

function groupRows(
  rows: InventoryRow[],
  groupBy: InventoryGrouping,
  deps: InventoryDeps,
  safetyStock: Map<string, number>
): InventoryItem[] {
  const groups = new Map<
    string,
    { item: Omit<InventoryItem, 'measures'>; views: Record<string, number>[] }
  >();
  for (const row of rows) {
    const view = measureView(row.measures, safetyStock.get(row.sourceId) ?? 0, deps.measures);
    const item: Omit<InventoryItem, 'measures'> =
      groupBy === 'none'
        ? { sku: row.sku, sourceId: null }
        : groupBy === 'source'
          ? { sku: row.sku, sourceId: row.sourceId }
          : { sku: row.sku, sourceId: row.sourceId, dimensions: { ...row.dimensions } };
    const key = JSON.stringify([row.sku, item.sourceId, groupBy === 'row' ? row.dimensionsKey : '']);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { item, views: [view] });
    else group.views.push(view);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { item, views }]) => ({
      ...item,
      measures: views.length === 1 ? views[0]! : sumMeasureViews(views),
    }));
}
