import fc from 'fast-check';
import {
  costOfAllocations,
  greedyPlan,
  type OptionRanking,
  type PassAllocations,
} from '../../../shared/domain/fulfillment/greedy-plan';
import { improveByLocalSearch } from '../../../shared/domain/fulfillment/local-search';
import type { PlanningProblem } from '../../../shared/domain/fulfillment/planning-problem';
import {
  buildSourcingPass,
  initialPassState,
  stockKey,
  type SourcingPass,
} from '../../../shared/domain/fulfillment/sourcing-pass';
import { rulesForPass } from '../../../shared/domain/fulfillment/sourcing-rules';
import type { StrategyConstraint } from '../../../shared/domain/fulfillment/strategy';
import { monday10, source, strategy } from './fulfillment-fixtures';

function passOf(problem: PlanningProblem, constraints: StrategyConstraint[] = []): SourcingPass {
  return buildSourcingPass(
    problem,
    rulesForPass(strategy(constraints), 1),
    1,
    initialPassState(problem),
    problem.orders.map((o, orderIndex) => ({
      orderIndex,
      lineIndexes: o.lines.map((_, j) => j),
      preUsed: new Set<number>(),
    }))
  );
}

const never = () => false;

/** One order of two lines: A and B each at a near source of its own, both at one a little farther. */
function twoNearSourcesOrOneFarther(): PlanningProblem {
  return {
    orders: [
      {
        orderId: 'o1',
        shipTo: { lat: 40, lon: -100 },
        lines: [
          { lineId: '1', sku: 'A', quantity: 1 },
          { lineId: '2', sku: 'B', quantity: 1 },
        ],
      },
    ],
    sources: [source('nearA', 40.5, -100), source('nearB', 39.5, -100), source('both', 40.7, -100)],
    stock: [
      { sku: 'A', sourceId: 'nearA', quantity: 5 },
      { sku: 'B', sourceId: 'nearB', quantity: 5 },
      { sku: 'A', sourceId: 'both', quantity: 5 },
      { sku: 'B', sourceId: 'both', quantity: 5 },
    ],
    now: monday10,
  };
}

/** Sources of the plan per order, as ids. */
function shipmentsOf(pass: SourcingPass, plan: PassAllocations): string[][] {
  return pass.orders.map((o) => [
    ...new Set(o.lines.flatMap((l) => (plan.get(l.key) ?? []).map((p) => pass.sources[p.sourceIndex]!.id))),
  ]);
}

describe('local search on a plan', () => {
  it('ships an order from one farther source that holds every line instead of two near ones', () => {
    const pass = passOf(twoNearSourcesOrOneFarther());
    const start = greedyPlan(pass);
    expect(shipmentsOf(pass, start)).toEqual([['nearA', 'nearB']]);
    const result = improveByLocalSearch(pass, pass.orders, start, never);
    expect(shipmentsOf(pass, result.allocations)).toEqual([['both']]);
    expect(result.moves).toBe(1);
    const before = costOfAllocations(pass, start).primary;
    const after = costOfAllocations(pass, result.allocations).primary;
    expect(result.saved).toBeCloseTo(before - after, 6);
    expect(after).toBeLessThan(before);
  });

  it('swaps scarce stock between two orders when neither can improve alone', () => {
    // One unit at S1: the first order (B) took it; A, standing at S1, went far. Only the pair moves.
    const problem: PlanningProblem = {
      orders: [
        { orderId: 'B', shipTo: { lat: 40.4, lon: -100 }, lines: [{ lineId: '1', sku: 'X', quantity: 1 }] },
        { orderId: 'A', shipTo: { lat: 40, lon: -100 }, lines: [{ lineId: '1', sku: 'X', quantity: 1 }] },
      ],
      sources: [source('S1', 40, -100), source('S2', 41, -100), source('S3', 45, -100)],
      stock: [
        { sku: 'X', sourceId: 'S1', quantity: 1 },
        { sku: 'X', sourceId: 'S2', quantity: 1 },
        { sku: 'X', sourceId: 'S3', quantity: 1 },
      ],
      now: monday10,
    };
    const pass = passOf(problem);
    const start = greedyPlan(pass);
    expect(shipmentsOf(pass, start)).toEqual([['S1'], ['S2']]);
    // Greedy sends A to S2; make the start worse still (A from S3) to need the swap.
    const worse: PassAllocations = new Map([
      [0, [{ sourceIndex: 0, quantity: 1 }]],
      [1, [{ sourceIndex: 2, quantity: 1 }]],
    ]);
    const result = improveByLocalSearch(pass, pass.orders, worse, never);
    expect(shipmentsOf(pass, result.allocations)).toEqual([['S2'], ['S1']]);
  });

  it('returns its input unchanged when told to stop at once', () => {
    const pass = passOf(twoNearSourcesOrOneFarther());
    const start = greedyPlan(pass);
    const result = improveByLocalSearch(pass, pass.orders, start, () => true);
    expect(result.moves).toBe(0);
    expect(result.saved).toBe(0);
    expect([...result.allocations]).toEqual([...start]);
  });

  // Random small batches, random feasible starts (the greedy plan with the sources tried in a random
  // order respects every rule), random rules that patterns can plan.
  const instanceArb = fc
    .record({
      sources: fc.array(
        fc.record({
          lat: fc.double({ min: 38, max: 42, noNaN: true }),
          lon: fc.double({ min: -102, max: -96, noNaN: true }),
        }),
        { minLength: 2, maxLength: 5 }
      ),
      orders: fc.array(
        fc.record({
          lat: fc.double({ min: 38, max: 42, noNaN: true }),
          lon: fc.double({ min: -102, max: -96, noNaN: true }),
          skus: fc.uniqueArray(fc.constantFrom('A', 'B', 'C'), { minLength: 1, maxLength: 3 }),
          quantities: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 6 }
      ),
      stock: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 15, maxLength: 15 }),
      maxSourcesPerOrder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
      allowPartialLine: fc.boolean(),
      allowPartialOrder: fc.boolean(),
      ranking: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 5, maxLength: 5 }),
    })
    .map((r) => {
      const problem: PlanningProblem = {
        sources: r.sources.map((s, i) => source(`S${i}`, s.lat, s.lon)),
        orders: r.orders.map((o, i) => ({
          orderId: `o${i}`,
          shipTo: { lat: o.lat, lon: o.lon },
          lines: o.skus.map((sku, j) => ({ lineId: String(j + 1), sku, quantity: o.quantities[j]! })),
        })),
        stock: r.sources.flatMap((_, i) =>
          ['A', 'B', 'C'].map((sku, k) => ({ sku, sourceId: `S${i}`, quantity: r.stock[i * 3 + k]! }))
        ),
        now: monday10,
      };
      const constraints: StrategyConstraint[] = [
        { type: 'allowPartialLine', value: r.allowPartialLine, hard: true },
        { type: 'allowPartialOrder', value: r.allowPartialOrder, hard: true },
        ...(r.maxSourcesPerOrder === undefined
          ? []
          : [{ type: 'maxSourcesPerOrder' as const, value: r.maxSourcesPerOrder, hard: true }]),
      ];
      const random: OptionRanking = (_pass, _order, line) =>
        [...line.options].sort(
          (a, b) => r.ranking[a.sourceIndex]! - r.ranking[b.sourceIndex]! || a.sourceIndex - b.sourceIndex
        );
      return { problem, constraints, random };
    });

  it('never overdraws stock, breaks a rule, sources fewer units or costs more than its input', () => {
    let moves = 0;
    fc.assert(
      fc.property(instanceArb, ({ problem, constraints, random }) => {
        const pass = passOf(problem, constraints);
        const start = greedyPlan(pass, random);
        const result = improveByLocalSearch(pass, pass.orders, start, never);
        const plan = result.allocations;
        moves += result.moves;

        const used = new Map<string, number>();
        for (const order of pass.orders) {
          const sources = new Set<number>();
          let orderShort = false;
          let orderTaken = 0;
          for (const line of order.lines) {
            let units = 0;
            for (const p of plan.get(line.key) ?? []) {
              expect(p.quantity).toBeGreaterThan(0);
              expect(line.options.some((o) => o.sourceIndex === p.sourceIndex)).toBe(true);
              const key = stockKey(line.line.sku, p.sourceIndex);
              used.set(key, (used.get(key) ?? 0) + p.quantity);
              units += p.quantity;
              sources.add(p.sourceIndex);
            }
            expect(units).toBeLessThanOrEqual(line.line.quantity);
            if (!pass.rules.allowPartialLine) expect([0, line.line.quantity]).toContain(units);
            if (units < line.line.quantity) orderShort = true;
            orderTaken += units;
          }
          if (!pass.rules.allowPartialOrder && orderShort) expect(orderTaken).toBe(0);
          if (pass.rules.maxSourcesPerOrder !== undefined)
            expect(sources.size).toBeLessThanOrEqual(pass.rules.maxSourcesPerOrder);
        }
        for (const [key, units] of used) expect(units).toBeLessThanOrEqual(pass.available.get(key) ?? 0);

        const before = costOfAllocations(pass, start);
        const after = costOfAllocations(pass, plan);
        expect(after.unsourcedUnits).toBeLessThanOrEqual(before.unsourcedUnits);
        if (after.unsourcedUnits === before.unsourcedUnits)
          expect(after.primary).toBeLessThanOrEqual(before.primary + 1e-6);
        expect(result.unitsGained).toBe(before.unsourcedUnits - after.unsourcedUnits);

        // Same input, same plan.
        const again = improveByLocalSearch(pass, pass.orders, start, never);
        expect([...again.allocations]).toEqual([...plan]);
      }),
      { numRuns: 300 }
    );
    // The random starts leave room: the search moved something.
    expect(moves).toBeGreaterThan(0);
  });
});
