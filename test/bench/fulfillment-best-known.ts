/**
 * Best known plans of the fulfillment benchmark's seeded instances (offline; minutes to hours).
 *
 *   node dist/test/bench/fulfillment-best-known.js 500000 500001 …   (seeds: see fulfillment-optimizer.ts)
 *   BEST_KNOWN_PLANNER_SECONDS (120)  our planner over every candidate source, no limit per order
 *   BEST_KNOWN_MIP_SECONDS (300)      then HiGHS on the whole per-line model, warm-started from that plan
 *   BEST_KNOWN_PLANNER_CANDIDATES     limit the planner to this many nearest sources per order (absent:
 *                                     all); its plan is still a plan of the whole problem, its bound then
 *                                     holds only for the pruned model and is not used
 *   BEST_KNOWN_FILE                   the fixture to merge into (default below)
 *
 * Both solve the WHOLE problem: every source with stock is a candidate of every line (no pruning).
 * The planner (column generation over order patterns, then a MIP over the patterns found) proves a
 * Lagrangian lower bound; HiGHS on the per-line model proves its own dual bound; the higher holds.
 * A third bound needs no solver: every order alone at its cheapest over all its candidates (exact
 * search per order, stock shared by nobody) — weak, but it holds for the whole problem at any size.
 * Fill comes first in both (the plan must source the most units any plan can, a max flow proven by
 * augmenting paths), so the bound is a lower bound of the km of every plan of maximum fill.
 *
 * Each run is merged into test/bench/fixtures/fulfillment-best-known.json per seed: the better of the
 * old and new objective (with how it was found) and the higher of the old and new bound.
 */
import { HighsMipSolver } from '../../shared/adapters/highs/highs-solver';
import { planBatch } from '../../shared/app/fulfillment/plan-fulfillment';
import { findCoupling } from '../../shared/domain/fulfillment/decompose-groups';
import { costOfAllocations } from '../../shared/domain/fulfillment/greedy-plan';
import { raiseFill } from '../../shared/domain/fulfillment/max-fill';
import { priceOrder } from '../../shared/domain/fulfillment/order-patterns';
import {
  allocationsFromValues,
  buildMipModel,
  columnValues,
} from '../../shared/domain/fulfillment/mip-model';
import { buildSourcingPass, initialPassState } from '../../shared/domain/fulfillment/sourcing-pass';
import { rulesForPass } from '../../shared/domain/fulfillment/sourcing-rules';
import { generateInstance } from './fulfillment-instances';
import { benchNow, benchStrategy, fulfillmentSizes, sizeOfSeed } from './fulfillment-optimizer';
import {
  allocationsOfPlan,
  boundHolds,
  planHash,
  mergeBestKnown,
  readBestKnown,
  writeBestKnown,
  type BestKnown,
} from './fulfillment-best-known-fixture';
import { envNumber } from './support';

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function solveSeed(
  seed: number,
  plannerSeconds: number,
  mipSeconds: number,
  plannerCandidates: number | undefined
): Promise<BestKnown> {
  const size = fulfillmentSizes.find((s) => s.lines === sizeOfSeed(seed));
  if (size === undefined) throw new Error(`seed ${seed}: no benchmark size of ${sizeOfSeed(seed)} lines`);
  const spec = { lines: size.lines, sources: size.sources, seed };
  const problem = generateInstance(spec, benchNow);
  const solver = new HighsMipSolver(3.5 * 1024 * 1024 * 1024);
  const today = new Date().toISOString().slice(0, 10);
  const log = (line: string) => process.stderr.write(`[best-known ${seed}] ${line}\n`);

  // The whole problem as one pass: every candidate, no pruning.
  const pass = buildSourcingPass(
    problem,
    rulesForPass(benchStrategy, 1),
    1,
    initialPassState(problem),
    problem.orders.map((o, orderIndex) => ({
      orderIndex,
      lineIndexes: o.lines.map((_, j) => j),
      preUsed: new Set<number>(),
    }))
  );
  const options = pass.orders.reduce((sum, o) => sum + o.lines.reduce((s, l) => s + l.options.length, 0), 0);
  const shipments = pass.orders.reduce((sum, o) => sum + o.shipments.size, 0);
  log(
    `${problem.orders.length} orders, ${options} (line, source) options, ${shipments} (order, source) pairs`
  );

  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const plan = await planBatch({ solver, clock: { now: () => new Date() } }, problem, benchStrategy, {
    timeLimitSeconds: plannerSeconds,
    relativeGap: 0,
    ...(plannerCandidates === undefined ? {} : { maxCandidateSourcesPerOrder: plannerCandidates }),
  });
  const plannerAllocations = allocationsOfPlan(problem, plan);
  const plannerCost = costOfAllocations(pass, plannerAllocations);
  // The planner's gap is over km (constant penalties left out) and holds for the whole problem here.
  const plannerBound =
    plannerCandidates === undefined ? plan.objective * (1 - plan.solver.provenGap) : -Infinity;
  const plannerBy =
    plannerCandidates === undefined
      ? 'every candidate'
      : `the ${plannerCandidates} nearest sources per order`;
  const plannerSecondsSpent = elapsed();
  log(
    `planner ${plannerSecondsSpent.toFixed(1)} s: ${plan.objective} km, bound ${plannerBound.toFixed(1)}, ` +
      `gap ${(plan.solver.provenGap * 100).toFixed(3)}%, unsourced ${plannerCost.unsourcedUnits}, ${plan.solver.status}`
  );
  // Maximum fill over the whole problem (a max flow under the bench's rules), from the planner's plan.
  const coupling = findCoupling(pass);
  const fill = raiseFill(pass, pass.orders, plannerAllocations, coupling.capacitySources);
  if (!fill.exact) throw new Error('fill target not proven: the benchmark rules make it a max flow');
  // Orders alone (stock coupling relaxed): Σ of exact per-order km bounds over every candidate at the
  // order's own best fill. A plan of maximum fill may leave U − U₀ more units unsourced than the
  // orders alone would (U its unsourced units, U₀ theirs); each such unit saves at most one shipment,
  // so that many of the dearest shipments come off.
  const aloneStarted = performance.now();
  let aloneBound = 0;
  let aloneUnsourced = 0;
  for (const order of pass.orders) {
    const priced = priceOrder(pass, order, () => 0);
    aloneBound += priced.bound - priced.best.unsourced * pass.penaltyPerUnit;
    aloneUnsourced += priced.best.unsourced;
  }
  let dearestShipment = 0;
  for (const o of pass.orders)
    for (const s of o.shipments.values()) dearestShipment = Math.max(dearestShipment, s.primaryCost);
  aloneBound -= Math.max(0, fill.unsourced - aloneUnsourced) * dearestShipment;
  log(
    `orders alone: bound ${aloneBound.toFixed(1)} km (${((performance.now() - aloneStarted) / 1000).toFixed(1)} s)`
  );

  // A planner limited to the nearest sources may source fewer units than the whole problem can.
  const startPlan = fill.unsourced < plannerCost.unsourcedUnits ? fill.allocations : plannerAllocations;
  const startCost = costOfAllocations(pass, startPlan);
  let best: BestKnown = {
    seed,
    lines: size.lines,
    sources: size.sources,
    unsourcedUnits: startCost.unsourcedUnits,
    objective: round3(startCost.primary),
    planHash: planHash(problem, startPlan),
    foundBy: `our planner over ${plannerBy} (pattern column generation + HiGHS ${plannerSeconds} s)`,
    foundOn: today,
    seconds: round3(plannerSecondsSpent),
    lowerBound: round3(Math.max(plannerBound, aloneBound)),
    boundBy:
      plannerBound >= aloneBound
        ? 'our planner over every candidate (Lagrangian bound of the pattern model)'
        : 'orders alone over every candidate (stock coupling relaxed)',
    boundOn: today,
    boundHolds,
  };

  if (mipSeconds > 0) {
    // HiGHS on the whole per-line model at maximum fill, from the planner's plan.
    const model = buildMipModel(pass, pass.orders, coupling, { maxUnsourced: fill.unsourced });
    log(
      `per-line model: ${model.columns.length} columns (${model.integers} integer), ${model.rows} rows, ` +
        `${(model.lpText.length / 1e6).toFixed(1)} MB of LP text; max fill leaves ${fill.unsourced} units`
    );
    const mipStarted = performance.now();
    const solution = await solver.solve(
      {
        lpText: model.lpText,
        columnNames: model.columnNames,
        start: columnValues(model, fill.allocations),
      },
      { timeLimitSeconds: mipSeconds, relativeGap: 0 }
    );
    const mipSpent = (performance.now() - mipStarted) / 1000;
    // Every plan of maximum fill pays the same penalty: model objective = km + that penalty.
    const penalty = (fill.unsourced - model.fixedUnits) * pass.penaltyPerUnit;
    log(
      `HiGHS ${mipSpent.toFixed(1)} s: ${solution.outcome}${solution.error ? ` (${solution.error})` : ''}, ` +
        `objective ${solution.objective === undefined ? '-' : (solution.objective - penalty).toFixed(1)}, ` +
        `bound ${solution.dualBound === undefined ? '-' : (solution.dualBound - penalty).toFixed(1)}`
    );
    const fresh: BestKnown = { ...best };
    if (solution.values !== undefined) {
      const found = allocationsFromValues(model, solution.values);
      const cost = costOfAllocations(pass, found);
      if (cost.unsourcedUnits === fill.unsourced && cost.primary < best.objective - 1e-6) {
        Object.assign(fresh, {
          objective: round3(cost.primary),
          planHash: planHash(problem, found),
          foundBy: `HiGHS on the whole per-line model (${mipSeconds} s), warm-started from our planner's plan`,
          seconds: round3(elapsed()),
        });
      }
    }
    if (solution.dualBound !== undefined && solution.dualBound - penalty > best.lowerBound) {
      Object.assign(fresh, {
        lowerBound: round3(solution.dualBound - penalty),
        boundBy: `HiGHS on the whole per-line model (${mipSeconds} s, dual bound)`,
      });
    }
    best = fresh;
  }
  // A bound never exceeds a plan's cost (rounding aside).
  best.lowerBound = Math.min(best.lowerBound, best.objective);
  log(
    `best ${best.objective} km, bound ${best.lowerBound} (${((1 - best.lowerBound / best.objective) * 100).toFixed(3)}%)`
  );
  return best;
}

async function main(): Promise<void> {
  const seeds = process.argv.slice(2).map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s)))
    throw new Error('usage: fulfillment-best-known.js SEED… (e.g. 500000 500001)');
  const plannerSeconds = envNumber('BEST_KNOWN_PLANNER_SECONDS', 120);
  const mipSeconds = Number(process.env.BEST_KNOWN_MIP_SECONDS ?? 300);
  const candidates = envNumber('BEST_KNOWN_PLANNER_CANDIDATES', NaN);
  for (const seed of seeds) {
    const fresh = await solveSeed(
      seed,
      plannerSeconds,
      mipSeconds,
      Number.isNaN(candidates) ? undefined : candidates
    );
    // Read again before writing: another run may have merged meanwhile.
    const records = readBestKnown();
    records.set(seed, mergeBestKnown(records.get(seed), fresh));
    writeBestKnown(records);
    const kept = records.get(seed)!;
    process.stderr.write(
      `[best-known ${seed}] fixture: ${kept.objective} km (${kept.foundBy}), bound ${kept.lowerBound} (${kept.boundBy})\n`
    );
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    }
  );
}
