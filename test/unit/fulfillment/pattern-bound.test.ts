import { planBatch } from '../../../shared/app/fulfillment/plan-fulfillment';
import type { OrderPattern } from '../../../shared/domain/fulfillment/order-patterns';
import { buildPatternMaster, LivePatternMaster } from '../../../shared/domain/fulfillment/pattern-master';
import { generateInstance } from '../../bench/fulfillment-instances';
import { solver } from './fulfillment-fixtures';

const pattern = (
  orderIndex: number,
  cost: number,
  usage: [string, number][],
  unsourced = 0
): OrderPattern => ({
  orderIndex,
  cost,
  parts: new Map(),
  usage: new Map(usage),
  unsourced,
});

it('the live pattern LP, grown round by round, solves to the same optimum as the LP text', async () => {
  const keys = new Set(['a', 'b', 'c']);
  const available = new Map([
    ['a', 3],
    ['b', 2],
    ['c', 1],
  ]);
  const columns = new Map<number, OrderPattern[]>([
    [0, [pattern(0, 10, [['a', 2]]), pattern(0, 14, [['b', 2]])]],
    [1, [pattern(1, 8, [['a', 2]]), pattern(1, 100, [], 2)]],
    [2, [pattern(2, 5, [['c', 1]])]],
  ]);
  const session = await solver.openLp();
  expect(session).toBeDefined();
  const live = new LivePatternMaster(session!, keys, available, 2);
  const solveText = async () => {
    const text = buildPatternMaster(columns, keys, available, false, 2);
    const lp = await solver.solve(
      { lpText: text.lpText, columnNames: text.columnNames, rowNames: text.rowNames },
      { timeLimitSeconds: 10, relativeGap: 0 }
    );
    return lp.objective!;
  };
  try {
    for (const more of [
      [] as OrderPattern[],
      [
        pattern(2, 6, [['a', 1]]),
        pattern(1, 9, [
          ['b', 1],
          ['c', 1],
        ]),
      ],
      [
        pattern(0, 11, [
          ['c', 1],
          ['b', 1],
        ]),
        pattern(2, 4, [['b', 2]]),
      ],
    ]) {
      for (const p of more) columns.get(p.orderIndex)!.push(p);
      live.sync(columns);
      const lp = live.solve(10);
      expect(lp.outcome).toBe('optimal');
      expect(lp.objective!).toBeCloseTo(await solveText(), 6);
      // Every row a choice could overdraw is there: the key rows the text master has.
      expect([...live.keyRows].sort()).toEqual(
        buildPatternMaster(columns, keys, available, false, 2).keyRows.sort()
      );
    }
  } finally {
    live.dispose();
  }
});

it('the proven bound never exceeds the optimum, nor the plan it is reported with', async () => {
  const wallClock = { now: () => new Date() };
  const strategy = {
    id: 'b',
    objective: 'distance' as const,
    roadFactor: 1,
    constraints: [],
    simulation: false,
  };
  let compared = 0;
  let comparedShort = 0;
  for (let seed = 0; seed < 6; seed++) {
    const problem = generateInstance(
      { lines: 40, sources: 8, seed: 77_000 + seed },
      new Date('2026-11-27T10:00:00Z')
    );
    const run = (timeLimitSeconds: number, relativeGap: number) =>
      planBatch({ solver, clock: wallClock }, problem, strategy, { timeLimitSeconds, relativeGap });
    const exact = await run(60, 0);
    const quick = await run(0.05, 0);
    for (const plan of [exact, quick]) {
      expect(plan.solver.provenGap).toBeGreaterThanOrEqual(0);
      expect(plan.solver.provenGap).toBeLessThanOrEqual(1);
    }
    if (exact.solver.status !== 'optimal') continue;
    expect(exact.solver.provenGap).toBeLessThan(1e-6);
    // Every plan leaves the fill target's units unsourced (here provably the fewest possible), so
    // their penalty is the same in all of them and the gap is measured without it: in km.
    expect(quick.unsourcedUnits).toBe(exact.unsourcedUnits);
    const km = (plan: typeof exact) =>
      plan.solver.passes[0]!.modelObjective - plan.unsourcedUnits * plan.solver.passes[0]!.penaltyPerUnit;
    const optimum = km(exact);
    const primal = km(quick);
    const bound = primal * (1 - quick.solver.provenGap);
    expect(bound).toBeLessThanOrEqual(optimum + 1e-6 * optimum);
    expect(primal).toBeGreaterThanOrEqual(optimum - 1e-6 * optimum);
    compared++;
    if (exact.unsourcedUnits > 0) comparedShort++;
  }
  expect(compared).toBeGreaterThan(0);
  expect(comparedShort).toBeGreaterThan(0);
}, 120_000);
