import {
  errorListNames,
  errorStatuses,
  type ErrorListName,
  type ErrorStatus,
} from '../../domain/error-lists/error-entry';
import type { JourneyInstanceStatus } from '../../domain/journeys/interpret-journey';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { Clock } from '../../ports/clock';
import type { IntakeCounts, IntakeCounters, JourneyCounts, StoredCounts } from '../../ports/metrics';

export interface ReadMetricsDeps {
  intake: Pick<IntakeCounters, 'totals'>;
  stored: StoredCounts;
  journeys: JourneyCounts;
  states: () => Promise<StateFrameworkConfig>;
  clock: Clock;
}

/** `GET /api/v1/metrics` (docs/metrics.md). */
export interface Metrics {
  at: string;
  intake: IntakeCounts;
  orders: {
    total: number;
    /** Every order state of the state framework in force (zero where none), and `other` for the rest. */
    byState: Record<string, number>;
  };
  journeys: Record<JourneyInstanceStatus, number>;
  errorLists: Record<ErrorStatus, number> & { byList: Record<ErrorListName, Record<ErrorStatus, number>> };
}

/**
 * The console dashboard's counters, all read from what is stored (so every worker answers the same):
 * intake counters, orders counted by state, journey instances by status, error-list entries by list
 * and status. Read at once; each figure is exact at the moment its query ran.
 */
export async function readMetrics(deps: ReadMetricsDeps): Promise<Metrics> {
  const at = deps.clock.now().toISOString();
  const states = (await deps.states()).states
    .filter((state) => state.entityType === 'order')
    .map((state) => state.name);
  const [intake, orders, journeys, lists] = await Promise.all([
    deps.intake.totals(),
    deps.stored.ordersByState(states),
    deps.journeys.byStatus(),
    Promise.all(errorListNames.map(async (list) => [list, await deps.stored.errorEntries(list)] as const)),
  ]);
  const counted = Object.values(orders.byState).reduce((sum, n) => sum + n, 0);
  const byList = Object.fromEntries(lists) as Record<ErrorListName, Record<ErrorStatus, number>>;
  const totals = Object.fromEntries(
    errorStatuses.map((status) => [status, lists.reduce((sum, [, counts]) => sum + counts[status], 0)])
  ) as Record<ErrorStatus, number>;
  return {
    at,
    intake,
    orders: { total: orders.total, byState: { ...orders.byState, other: orders.total - counted } },
    journeys,
    errorLists: { ...totals, byList },
  };
}
