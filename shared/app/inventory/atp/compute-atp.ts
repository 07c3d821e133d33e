import { addDays, availableToPromise, utcDateOf, type AtpDay } from '../../../domain/inventory/atp/atp';
import type { Clock } from '../../../ports/clock';
import type { InventoryLevels, InventoryScheduleStore } from '../../../ports/inventory-schedules';
import type { AtpRequest } from '../../../schemas/inventory-atp.schema';

export interface AtpTablesDeps {
  levels: InventoryLevels;
  schedules: InventoryScheduleStore;
}

export interface AtpDeps extends AtpTablesDeps {
  validate: (input: unknown) => AtpRequest;
  clock: Clock;
  /** The period when the request names none (OPENIOM_ATP_DAYS, default 7). */
  defaultDays: number;
}

export interface AtpItem {
  sku: string;
  sourceId: string;
  days: AtpDay[];
}

export interface AtpResponse {
  startDate: string;
  days: number;
  /** The measure day 0's on-hand is read from. */
  measure: 'availableToReserve';
  items: AtpItem[];
}

/**
 * `POST /api/v1/inventory/atp` (docs/api.md): per SKU and source, per day from today (UTC), the
 * on-hand, scheduled supply and demand, projected on-hand and ATP. Day 0's on-hand is the row's
 * availableToReserve, not its raw onhand: stock already reserved or allocated is not promisable
 * again (docs/inventory-atp.md).
 */
export async function computeAtp(deps: AtpDeps, body: unknown): Promise<AtpResponse> {
  const request = deps.validate(body);
  const days = request.days ?? deps.defaultDays;
  const startDate = utcDateOf(deps.clock.now());
  const items = await atpTables(deps, request.skus, request.sourceIds, startDate, days);
  return { startDate, days, measure: 'availableToReserve', items };
}

/**
 * The ATP tables of the SKUs: one per (sku, source) that has a row or a schedule entry in the
 * period, or per requested source even when it has neither (all zeros then, which is the answer).
 * Ordered as the SKUs were given, then by source id.
 */
export async function atpTables(
  deps: AtpTablesDeps,
  skus: readonly string[],
  sourceIds: readonly string[] | undefined,
  startDate: string,
  days: number
): Promise<AtpItem[]> {
  const to = addDays(startDate, days - 1);
  const [levels, schedules] = await Promise.all([
    deps.levels.availableToReserve(skus, sourceIds),
    Promise.all(
      skus.map((sku) =>
        deps.schedules.find({ sku, from: startDate, to, ...(sourceIds ? { sourceIds } : {}) })
      )
    ),
  ]);
  const items: AtpItem[] = [];
  skus.forEach((sku, index) => {
    const onHand = new Map<string, number>();
    for (const level of levels) {
      if (level.sku === sku) onHand.set(level.sourceId, (onHand.get(level.sourceId) ?? 0) + level.quantity);
    }
    const entries = schedules[index]!;
    const sources = new Set<string>(sourceIds ?? [...onHand.keys(), ...entries.map((e) => e.sourceId)]);
    for (const sourceId of [...sources].sort()) {
      const changes = entries.filter((e) => e.sourceId === sourceId);
      items.push({
        sku,
        sourceId,
        days: availableToPromise(onHand.get(sourceId) ?? 0, changes, startDate, days),
      });
    }
  });
  return items;
}
