import { HighsMipSolver } from '../../../shared/adapters/highs/highs-solver';
import { planBatch } from '../../../shared/app/fulfillment/plan-fulfillment';
import type { FulfillmentPlan } from '../../../shared/domain/fulfillment/fulfillment-plan';
import type {
  PlanningOptions,
  PlanningProblem,
  SourcingSource,
} from '../../../shared/domain/fulfillment/planning-problem';
import type { FulfillmentObjective, StrategyConstraint } from '../../../shared/domain/fulfillment/strategy';

/** One real HiGHS for every test of a file (loading the Wasm takes a moment). */
export const solver = new HighsMipSolver();
const wallClock = { now: () => new Date() };

/** Monday 2026-11-23 10:00 UTC. */
export const monday10 = new Date('2026-11-23T10:00:00Z');

export function source(
  id: string,
  lat: number,
  lon: number,
  extra: Partial<SourcingSource> = {}
): SourcingSource {
  return {
    id,
    location: { lat, lon, geocoded: false },
    online: true,
    timeZone: 'UTC',
    safetyStock: 0,
    calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
    priority: 1,
    costs: {},
    acceptsReturns: false,
    ...extra,
  };
}

export function strategy(
  constraints: StrategyConstraint[] = [],
  objective: FulfillmentObjective = 'distance',
  roadFactor = 1
) {
  return { id: 'test', objective, roadFactor, constraints, simulation: false };
}

export const exact: PlanningOptions = { timeLimitSeconds: 20, relativeGap: 0 };

export function plan(
  problem: PlanningProblem,
  constraints: StrategyConstraint[] = [],
  objective: FulfillmentObjective = 'distance',
  options: PlanningOptions = exact
): Promise<FulfillmentPlan> {
  return planBatch({ solver, clock: wallClock }, problem, strategy(constraints, objective), options);
}

/** Allocations of a line as `sourceId:quantity` strings, sorted. */
export function allocationsOf(result: FulfillmentPlan, lineId: string, orderId?: string): string[] {
  const line = result.planLines.find(
    (l) => l.lineId === lineId && (orderId === undefined || l.orderId === orderId)
  );
  if (line === undefined) throw new Error(`no line ${lineId}`);
  return line.allocations.map((a) => `${a.sourceId}:${a.quantity}`).sort();
}
