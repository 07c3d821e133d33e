import { ConflictError, NotFoundError, PreconditionFailedError } from '../../domain/errors';
import type { InventorySchedule } from '../../domain/inventory/atp/atp-schedule';
import {
  scheduleEntriesOf,
  scheduleEntryMatches,
  type LinkedScheduleEntry,
} from '../../domain/purchasing/supply-order-schedule';
import type { SupplyOrderKind } from '../../domain/purchasing/supply-order';
import type { Clock } from '../../ports/clock';
import type { InventoryScheduleStore, VersionedSchedule } from '../../ports/inventory-schedules';
import type { SupplyOrderRepository } from '../../ports/purchasing';

export interface SyncSupplySchedulesDeps {
  orders: SupplyOrderRepository;
  schedules: InventoryScheduleStore;
  clock: Clock;
}

const maxAttempts = 5;

/**
 * Brings the change schedule entries linked to an order in step with its open lines as stored now:
 * creates what is missing, rewrites what differs, deletes what no open line stands for. Idempotent,
 * so every write of the order ends with it and any later call repairs a call that stopped half-way.
 * The entries are read before the order, and written at their ETags: of two racing calls, the one
 * that read the older order loses its writes and reads again.
 */
export async function syncSupplySchedules(
  deps: SyncSupplySchedulesDeps,
  kind: SupplyOrderKind,
  id: string
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.schedules.findLinked({ kind, id });
    const current = await deps.orders.get(kind, id);
    const wanted = current === undefined ? [] : scheduleEntriesOf(current.order);
    try {
      await writeDifference(deps, stored, wanted);
      return;
    } catch (err) {
      const raced =
        err instanceof PreconditionFailedError ||
        err instanceof ConflictError ||
        err instanceof NotFoundError;
      if (!raced || attempt >= maxAttempts) throw err;
    }
  }
}

async function writeDifference(
  deps: SyncSupplySchedulesDeps,
  stored: readonly VersionedSchedule[],
  wanted: readonly LinkedScheduleEntry[]
): Promise<void> {
  // An entry is its id within its SKU's partition (a line whose SKU changed has one in each).
  const keyOf = (entry: { sku: string; id: string }) => `${entry.sku}\n${entry.id}`;
  const wantedKeys = new Set(wanted.map(keyOf));
  const storedByKey = new Map(stored.map((s) => [keyOf(s.schedule), s]));
  const at = deps.clock.now().toISOString();
  await Promise.all([
    ...stored
      .filter((s) => !wantedKeys.has(keyOf(s.schedule)))
      .map((s) => deps.schedules.delete(s.schedule, s.etag)),
    ...wanted.map(async (entry) => {
      const found = storedByKey.get(keyOf(entry));
      if (found === undefined) {
        await deps.schedules.create(stamped(entry, at, at));
      } else if (!scheduleEntryMatches(found.schedule, entry)) {
        await deps.schedules.replace(stamped(entry, found.schedule.createdAt, at), found.etag);
      }
    }),
  ]);
}

function stamped(entry: LinkedScheduleEntry, createdAt: string, updatedAt: string): InventorySchedule {
  return { ...entry, createdAt, updatedAt };
}
