import fc from 'fast-check';
import { planningDistanceKm, roundTo } from '../../../shared/domain/fulfillment/geo-distance';
import type { FulfillmentPlan } from '../../../shared/domain/fulfillment/fulfillment-plan';
import type { PlanningProblem, SourcingSource } from '../../../shared/domain/fulfillment/planning-problem';
import type { FulfillmentObjective, StrategyConstraint } from '../../../shared/domain/fulfillment/strategy';
import { monday10, plan, source } from './fulfillment-fixtures';

// Small instances whose optimum an exhaustive search finds: every allocation of every line is tried,
// checked against every constraint and priced with the documented objective (shipments, unit costs,
// priority terms, penalty per unsourced unit). All constraints are hard here, so the plan is pass 1's
// optimum and its model objective must equal the exhaustive optimum.

interface Instance {
  problem: PlanningProblem;
  objective: FulfillmentObjective;
  constraints: StrategyConstraint[];
}

const skus = ['A', 'B'];

const sourceArb = fc.record({
  lat: fc.double({ min: 38, max: 42, noNaN: true }),
  lon: fc.double({ min: -102, max: -96, noNaN: true }),
  online: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  safetyStock: fc.integer({ min: 0, max: 1 }),
  priority: fc.integer({ min: 1, max: 3 }),
  perShipment: fc.integer({ min: 0, max: 50 }),
  perUnit: fc.integer({ min: 0, max: 5 }),
  perKm: fc.integer({ min: 0, max: 2 }),
  cutoffHour: fc.constantFrom(undefined, 9, 12),
  maxLines: fc.constantFrom(undefined, undefined, 1, 2),
});

const constraintArb: fc.Arbitrary<StrategyConstraint[]> = fc
  .record({
    maxDistanceKm: fc.option(fc.integer({ min: 100, max: 500 }), { nil: undefined }),
    maxSourcesPerOrder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    maxSourcesPerLine: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    allowPartialOrder: fc.option(fc.boolean(), { nil: undefined }),
    allowPartialLine: fc.option(fc.boolean(), { nil: undefined }),
    respectCutoff: fc.option(fc.boolean(), { nil: undefined }),
    useSafetyStock: fc.option(fc.boolean(), { nil: undefined }),
    usePriority: fc.option(fc.boolean(), { nil: undefined }),
    maxLinesPerDay: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  })
  .map((c) =>
    Object.entries(c)
      .filter(([, value]) => value !== undefined)
      .map(([type, value]) => ({ type, value, hard: true }) as StrategyConstraint)
  );

const instanceArb: fc.Arbitrary<Instance> = fc
  .record({
    sources: fc.array(sourceArb, { minLength: 2, maxLength: 3 }),
    orders: fc.array(
      fc.record({
        lat: fc.double({ min: 38, max: 42, noNaN: true }),
        lon: fc.double({ min: -102, max: -96, noNaN: true }),
        lines: fc.array(
          fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 3 }) }),
          {
            minLength: 1,
            maxLength: 2,
          }
        ),
      }),
      { minLength: 1, maxLength: 2 }
    ),
    stock: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
    planned: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 3, maxLength: 3 }),
    objective: fc.constantFrom<FulfillmentObjective>('distance', 'cost'),
    constraints: constraintArb,
  })
  .map(({ sources, orders, stock, planned, objective, constraints }) => {
    const built: SourcingSource[] = sources.map((s, i) =>
      source(`S${i}`, s.lat, s.lon, {
        online: s.online,
        safetyStock: s.safetyStock,
        priority: s.priority,
        costs: { perShipment: s.perShipment, perUnit: s.perUnit, perKm: s.perKm },
        ...(s.cutoffHour === undefined ? {} : { cutoffTime: `${String(s.cutoffHour).padStart(2, '0')}:00` }),
        ...(s.maxLines === undefined ? {} : { maxOrderLinesPerDay: s.maxLines }),
      })
    );
    const problem: PlanningProblem = {
      orders: orders.map((o, i) => ({
        orderId: `O${i}`,
        shipTo: { lat: o.lat, lon: o.lon },
        lines: o.lines.map((l, j) => ({ lineId: `L${j}`, ...l })),
      })),
      sources: built,
      stock: built.flatMap((s, i) =>
        skus.map((sku, k) => ({ sku, sourceId: s.id, quantity: stock[i * 2 + k] ?? 0 }))
      ),
      linesPlannedToday: Object.fromEntries(built.map((s, i) => [s.id, planned[i] ?? 0])),
      now: monday10,
    };
    return { problem, objective, constraints };
  });

interface Exhaustive {
  /** Least of shipments + unit costs + priority terms + penalty × unsourced units over every plan. */
  weighted: number;
  /** The fewest units any plan leaves unsourced (the maximum fill). */
  leastUnsourced: number;
  /** Least shipments + unit costs + priority terms over the plans that leave only that many. */
  costAtMostFill: number;
}

/** The exhaustive optima, with penalty and priority step as documented. */
function bruteForce(instance: Instance, penaltyPerUnit: number, priorityStep: number): Exhaustive {
  const { problem, objective, constraints } = instance;
  const value = (type: string) => constraints.find((c) => c.type === type)?.value;
  const maxDistance = value('maxDistanceKm') as number | undefined;
  const maxPerOrder = value('maxSourcesPerOrder') as number | undefined;
  const maxPerLine = value('maxSourcesPerLine') as number | undefined;
  const partialOrder = value('allowPartialOrder') !== false;
  const partialLine = value('allowPartialLine') !== false;
  const cutoff = value('respectCutoff') === true;
  const safety = value('useSafetyStock') === true;
  const linesOverride = value('maxLinesPerDay') as number | undefined;
  const { sources, orders } = problem;
  const stockOf = (sku: string, s: number) => {
    const raw = problem.stock.find((r) => r.sku === sku && r.sourceId === sources[s]!.id)?.quantity ?? 0;
    return raw <= 0 ? 0 : Math.max(0, safety ? raw - sources[s]!.safetyStock : raw);
  };
  const capacity = sources.map((s) => {
    const limit = linesOverride ?? s.maxOrderLinesPerDay;
    return limit === undefined ? Infinity : limit - (problem.linesPlannedToday?.[s.id] ?? 0);
  });
  const nowHHmm = `${String(problem.now.getUTCHours()).padStart(2, '0')}:00`;
  const usable = (o: number, s: number) => {
    const src = sources[s]!;
    if (!src.online) return false;
    if (maxDistance !== undefined && planningDistanceKm(orders[o]!.shipTo, src.location, 1) > maxDistance)
      return false;
    if (cutoff && src.cutoffTime !== undefined && nowHHmm >= src.cutoffTime) return false;
    return capacity[s]! > 0;
  };
  const shipmentCost = (o: number, s: number) => {
    const src = sources[s]!;
    const d = planningDistanceKm(orders[o]!.shipTo, src.location, 1);
    const primary =
      objective === 'distance' ? d : roundTo((src.costs.perShipment ?? 0) + (src.costs.perKm ?? 0) * d, 3);
    return roundTo(primary + priorityStep * (src.priority - 1), 3);
  };
  const lines = orders.flatMap((order, o) => order.lines.map((line) => ({ o, line })));
  // Every way to split each line over the sources (units per source, total ≤ quantity).
  const splits = lines.map(({ o, line }) => {
    const out: number[][] = [];
    const rec = (s: number, left: number, acc: number[]) => {
      if (s === sources.length) return out.push([...acc]);
      const max = usable(o, s) ? Math.min(left, stockOf(line.sku, s)) : 0;
      for (let q = 0; q <= max; q++) rec(s + 1, left - q, [...acc, q]);
    };
    rec(0, line.quantity, []);
    return out;
  });
  const best: Exhaustive = { weighted: Infinity, leastUnsourced: Infinity, costAtMostFill: Infinity };
  const choice: number[][] = [];
  const visit = (i: number) => {
    if (i === lines.length) {
      const plan = evaluate();
      if (plan === undefined) return;
      best.weighted = Math.min(best.weighted, plan.cost + plan.unsourced * penaltyPerUnit);
      if (
        plan.unsourced < best.leastUnsourced ||
        (plan.unsourced === best.leastUnsourced && plan.cost < best.costAtMostFill)
      ) {
        best.leastUnsourced = plan.unsourced;
        best.costAtMostFill = plan.cost;
      }
      return;
    }
    for (const split of splits[i]!) {
      choice[i] = split;
      visit(i + 1);
    }
  };
  const evaluate = (): { cost: number; unsourced: number } | undefined => {
    let total = 0;
    let unsourced = 0;
    const usedStock = new Map<string, number>();
    const linesAt = sources.map(() => 0);
    const orderSources = orders.map(() => new Set<number>());
    const orderShort = orders.map(() => false);
    for (let i = 0; i < lines.length; i++) {
      const { o, line } = lines[i]!;
      const split = choice[i]!;
      const units = split.reduce((a, b) => a + b, 0);
      const used = split.flatMap((q, s) => (q > 0 ? [s] : []));
      if (!partialLine && units > 0 && units < line.quantity) return undefined;
      if (maxPerLine !== undefined && used.length > maxPerLine) return undefined;
      if (units < line.quantity) orderShort[o] = true;
      for (const s of used) {
        const key = `${line.sku}/${s}`;
        usedStock.set(key, (usedStock.get(key) ?? 0) + split[s]!);
        linesAt[s]! += 1;
        orderSources[o]!.add(s);
        total += split[s]! * (objective === 'cost' ? (sources[s]!.costs.perUnit ?? 0) : 0);
      }
      unsourced += line.quantity - units;
    }
    for (const [key, units] of usedStock) {
      const [sku, s] = key.split('/');
      if (units > stockOf(sku!, Number(s))) return undefined;
    }
    if (linesAt.some((n, s) => n > capacity[s]!)) return undefined;
    for (let o = 0; o < orders.length; o++) {
      if (maxPerOrder !== undefined && orderSources[o]!.size > maxPerOrder) return undefined;
      if (
        !partialOrder &&
        orderShort[o] &&
        lines.some((l, i) => l.o === o && choice[i]!.some((q) => q > 0))
      ) {
        return undefined;
      }
      for (const s of orderSources[o]!) total += shipmentCost(o, s);
    }
    return { cost: total, unsourced };
  };
  visit(0);
  return best;
}

/**
 * Fill first: the plan leaves unsourced only as many units as the best plan must, and costs the least
 * among such plans. Its model objective is then that cost + penalty × those units, which is also the
 * least weighted objective unless a plan that drops more units saves more than the penalty (possible
 * only across orders: the penalty dominates what any one order costs).
 */
function expectFillFirstOptimum(result: FulfillmentPlan, optimum: Exhaustive): void {
  const pass = result.solver.passes[0]!;
  expect(result.unsourcedUnits).toBe(optimum.leastUnsourced);
  expect(pass.modelObjective - pass.penaltyPerUnit * result.unsourcedUnits).toBeCloseTo(
    optimum.costAtMostFill,
    4
  );
  expect(pass.modelObjective).toBeGreaterThanOrEqual(optimum.weighted - 1e-6);
}

it('matches the exhaustive optimum across every constraint and both objectives', async () => {
  await fc.assert(
    fc.asyncProperty(instanceArb, async (instance) => {
      const result = await plan(instance.problem, instance.constraints, instance.objective);
      const pass = result.solver.passes[0]!;
      expect(result.solver.passes).toHaveLength(1);
      expect(result.solver.status).toBe('optimal');
      const optimum = bruteForce(instance, pass.penaltyPerUnit, pass.priorityStep);
      expectFillFirstOptimum(result, optimum);
    }),
    { numRuns: 150, seed: 20261127 }
  );
});

// The pattern model (column generation, order-patterns.ts) runs when no rule needs the per-line model:
// orders of distinct SKUs, no sources-per-line limit, no binding daily limit. Here stock is scarce so
// orders contend for it and the master, its bound and its rounding are all exercised.
const patternConstraintArb: fc.Arbitrary<StrategyConstraint[]> = fc
  .record({
    maxDistanceKm: fc.option(fc.integer({ min: 100, max: 500 }), { nil: undefined }),
    maxSourcesPerOrder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    allowPartialOrder: fc.option(fc.boolean(), { nil: undefined }),
    allowPartialLine: fc.option(fc.boolean(), { nil: undefined }),
    usePriority: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((c) =>
    Object.entries(c)
      .filter(([, value]) => value !== undefined)
      .map(([type, value]) => ({ type, value, hard: true }) as StrategyConstraint)
  );

const patternInstanceArb: fc.Arbitrary<Instance> = fc
  .record({
    sources: fc.array(
      sourceArb.map((s) => ({ ...s, online: true, cutoffHour: undefined, maxLines: undefined })),
      {
        minLength: 2,
        maxLength: 3,
      }
    ),
    orders: fc.array(
      fc.record({
        lat: fc.double({ min: 38, max: 42, noNaN: true }),
        lon: fc.double({ min: -102, max: -96, noNaN: true }),
        skus: fc.subarray(['A', 'B'], { minLength: 1 }),
        quantities: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 2 }),
      }),
      { minLength: 2, maxLength: 3 }
    ),
    stock: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
    objective: fc.constantFrom<FulfillmentObjective>('distance', 'cost'),
    constraints: patternConstraintArb,
  })
  .filter(({ orders }) => orders.reduce((n, o) => n + o.skus.length, 0) <= 4)
  .map(({ sources, orders, stock, objective, constraints }) => {
    const built: SourcingSource[] = sources.map((s, i) =>
      source(`S${i}`, s.lat, s.lon, {
        safetyStock: s.safetyStock,
        priority: s.priority,
        costs: { perShipment: s.perShipment, perUnit: s.perUnit, perKm: s.perKm },
      })
    );
    const problem: PlanningProblem = {
      orders: orders.map((o, i) => ({
        orderId: `O${i}`,
        shipTo: { lat: o.lat, lon: o.lon },
        lines: o.skus.map((sku, j) => ({ lineId: `L${j}`, sku, quantity: o.quantities[j]! })),
      })),
      sources: built,
      stock: built.flatMap((s, i) =>
        skus.map((sku, k) => ({ sku, sourceId: s.id, quantity: stock[i * 2 + k] ?? 0 }))
      ),
      now: monday10,
    };
    return { problem, objective, constraints };
  });

it('the pattern model matches the exhaustive optimum when orders contend for stock', async () => {
  await fc.assert(
    fc.asyncProperty(patternInstanceArb, async (instance) => {
      const result = await plan(instance.problem, instance.constraints, instance.objective);
      const pass = result.solver.passes[0]!;
      expect(result.solver.status).toBe('optimal');
      const optimum = bruteForce(instance, pass.penaltyPerUnit, pass.priorityStep);
      expectFillFirstOptimum(result, optimum);
      expect(result.solver.provenGap).toBeLessThanOrEqual(1e-6);
    }),
    { numRuns: 150, seed: 20261128 }
  );
});

// Orders that compete for little stock, with a distance limit that leaves some orders one source
// only: where a unit dropped in one order saves shipments of another (the trade a penalty per unit
// alone allows), the plan must still fill first. Every constraint type may be added on top.
const contendedInstanceArb: fc.Arbitrary<Instance> = fc
  .record({
    sources: fc.array(
      sourceArb.map((s) => ({ ...s, online: true, cutoffHour: undefined })),
      { minLength: 2, maxLength: 3 }
    ),
    orders: fc.array(
      fc.record({
        lat: fc.double({ min: 39, max: 41, noNaN: true }),
        lon: fc.double({ min: -101, max: -97, noNaN: true }),
        lines: fc.array(
          fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 2 }) }),
          { minLength: 1, maxLength: 2 }
        ),
      }),
      { minLength: 2, maxLength: 3 }
    ),
    stock: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
    objective: fc.constantFrom<FulfillmentObjective>('distance', 'cost'),
    maxDistanceKm: fc.integer({ min: 100, max: 300 }),
    constraints: constraintArb,
  })
  .filter(({ orders }) => orders.reduce((n, o) => n + o.lines.length, 0) <= 4)
  .map(({ sources, orders, stock, objective, maxDistanceKm, constraints }) => {
    const built: SourcingSource[] = sources.map((s, i) =>
      source(`S${i}`, 40 + (s.lat - 40) / 2, -99 + (s.lon + 99) / 2, {
        safetyStock: s.safetyStock,
        priority: s.priority,
        costs: { perShipment: s.perShipment * 4, perUnit: s.perUnit, perKm: s.perKm },
        ...(s.maxLines === undefined ? {} : { maxOrderLinesPerDay: s.maxLines + 1 }),
      })
    );
    const problem: PlanningProblem = {
      orders: orders.map((o, i) => ({
        orderId: `O${i}`,
        shipTo: { lat: o.lat, lon: o.lon },
        lines: o.lines.map((l, j) => ({ lineId: `L${j}`, ...l })),
      })),
      sources: built,
      stock: built.flatMap((s, i) =>
        skus.map((sku, k) => ({ sku, sourceId: s.id, quantity: stock[i * 2 + k] ?? 0 }))
      ),
      now: monday10,
    };
    const withDistance: StrategyConstraint[] = [
      ...constraints.filter((c) => c.type !== 'maxDistanceKm'),
      { type: 'maxDistanceKm', value: maxDistanceKm, hard: true },
    ];
    return { problem, objective, constraints: withDistance };
  });

it('fills every unit some plan can fill, then costs the least, when orders compete for stock', async () => {
  await fc.assert(
    fc.asyncProperty(contendedInstanceArb, async (instance) => {
      const result = await plan(instance.problem, instance.constraints, instance.objective);
      const pass = result.solver.passes[0]!;
      expect(result.solver.status).toBe('optimal');
      expectFillFirstOptimum(result, bruteForce(instance, pass.penaltyPerUnit, pass.priorityStep));
    }),
    { numRuns: 1000, seed: 20261129 }
  );
});
