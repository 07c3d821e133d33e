/**
 * Fulfillment optimizer benchmark (`BENCH_ONLY=fulfillment`, also `node dist/test/bench/fulfillment-optimizer.js`).
 *
 * Seeded instances (fulfillment-instances.ts) of 100 lines × 20 sources, 500 × 50 and 5,000 × 200,
 * BENCH_FULFILLMENT_INSTANCES (5) per size. Each is planned by our optimizer (HiGHS MIP, greedy warm
 * start, decomposition) and, in the same run, by three line-by-line peer rules on the same candidates:
 *  - nearest source with stock per line (Medusa-like; also our warm start);
 *  - Saleor "prioritize sorting order": sources in the channel's warehouse order, first with stock;
 *  - Saleor "prioritize high stock": the source with the most remaining stock of the SKU first.
 * All take as much as they can from a source before moving to the next, and share stock across the batch.
 * Printed per size: solve time (median over the instances), proven gap (worst), total objective (km),
 * shipments per order, fill rate; and the objective ratio to nearest-per-line per instance.
 * Candidates are pruned to the BENCH_FULFILLMENT_CANDIDATES (12) nearest sources per order (plus those
 * the greedy plan uses); the gap is relative to that pruned model, the peers see every source.
 *
 * Each plan is also measured against the best known plan of the whole problem (no pruning) from
 * test/bench/fixtures/fulfillment-best-known.json (made offline by fulfillment-best-known.ts):
 * distance = objective / best known − 1, next to the proven gap; a seed missing there says so.
 * BENCH_FULFILLMENT_RECORD_BEST=1 writes a plan better than the fixture's into it (bounds unchanged).
 *
 * Seeds: instance i (0-based) of the size with L lines has seed 1000·L + i — 100000–100004 are the
 * 100 × 20 ones, 500000–500004 the 500 × 50 ones, 5000000–5000004 the 5,000 × 200 ones.
 * BENCH_FULFILLMENT_SEED=500003 runs that one instance alone (its size is ⌊seed / 1000⌋ lines).
 */
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';
import { HighsMipSolver } from '../../shared/adapters/highs/highs-solver';
import { planBatch } from '../../shared/app/fulfillment/plan-fulfillment';
import {
  costOfAllocations,
  greedyPlan,
  type OptionRanking,
} from '../../shared/domain/fulfillment/greedy-plan';
import type { FulfillmentPlan } from '../../shared/domain/fulfillment/fulfillment-plan';
import type { PlanningOptions, PlanningProblem } from '../../shared/domain/fulfillment/planning-problem';
import { buildSourcingPass, initialPassState } from '../../shared/domain/fulfillment/sourcing-pass';
import { rulesForPass } from '../../shared/domain/fulfillment/sourcing-rules';
import {
  allocationsOfPlan,
  boundHolds,
  mergeBestKnown,
  planHash,
  readBestKnown,
  writeBestKnown,
  type BestKnown,
} from './fulfillment-best-known-fixture';
import { generateInstance, type InstanceSpec } from './fulfillment-instances';
import { describeMachine } from './report';
import { envNumber, repoRoot } from './support';

interface Figures {
  seconds: number;
  provenGap: number | null;
  objective: number;
  shipmentsPerOrder: number;
  fillRate: number;
}

interface InstanceResult {
  spec: InstanceSpec;
  orders: number;
  status: string;
  optimizer: Figures;
  peers: Record<PeerName, Figures>;
  ratioToNearest: number;
  /** Against the fixture's best known plan of the whole problem (absent: no best known). */
  bestKnown?: {
    objective: number;
    lowerBound: number;
    /** objective / best known − 1. */
    distance: number;
    /** 1 − whole-problem bound / objective: what is proven about the plan without pruning. */
    gapToBound: number;
    /** Units the plan leaves unsourced beyond the best known's (0: same fill, comparable km). */
    extraUnsourced: number;
  };
}

type PeerName = 'nearestPerLine' | 'saleorSortingOrder' | 'saleorHighStock';

interface SizeSummary {
  lines: number;
  sources: number;
  instances: number;
  medianSeconds: number;
  worstGap: number;
  objective: Record<'optimizer' | PeerName, number>;
  shipmentsPerOrder: Record<'optimizer' | PeerName, number>;
  fillRate: Record<'optimizer' | PeerName, number>;
  /** Σ optimizer objective / Σ nearest-per-line objective. */
  ratioToNearest: number;
  worstInstanceRatio: number;
  /** Instances with a best known plan, and the worst and mean distance from it (null: none). */
  withBestKnown: number;
  worstDistance: number | null;
  meanDistance: number | null;
}

/** The time limit of each size is its target time: the gap reported is what that budget proves. */
export const fulfillmentSizes = [
  {
    lines: 100,
    sources: 20,
    relativeGap: 1e-4,
    timeLimit: 5,
    targetSeconds: undefined,
    targetGap: undefined,
    targetDistance: undefined,
  },
  {
    lines: 500,
    sources: 50,
    relativeGap: 1e-3,
    timeLimit: 2,
    targetSeconds: 2,
    targetGap: 1e-3,
    targetDistance: 0.005,
  },
  {
    lines: 5000,
    sources: 200,
    relativeGap: 1e-2,
    timeLimit: 30,
    targetSeconds: 30,
    targetGap: 1e-2,
    targetDistance: 0.01,
  },
] as const;

const peers: Record<PeerName, OptionRanking> = {
  nearestPerLine: (pass, order, line) =>
    [...line.options].sort(
      (a, b) =>
        order.shipments.get(a.sourceIndex)!.distanceKm - order.shipments.get(b.sourceIndex)!.distanceKm ||
        a.sourceIndex - b.sourceIndex
    ),
  saleorSortingOrder: (_pass, _order, line) =>
    [...line.options].sort((a, b) => a.sourceIndex - b.sourceIndex),
  saleorHighStock: (_pass, _order, line, remaining) =>
    [...line.options].sort((a, b) => remaining(b) - remaining(a) || a.sourceIndex - b.sourceIndex),
};

const wallClock = { now: () => new Date() };
/** The instant every instance is planned at (calendars and cut-offs are read against it). */
export const benchNow = new Date('2026-11-27T10:00:00Z');
export const benchStrategy = {
  id: 'bench',
  objective: 'distance' as const,
  roadFactor: 1,
  constraints: [],
  simulation: false,
};

export async function runFulfillmentStage(log: (line: string) => void): Promise<SizeSummary[]> {
  const solver = new HighsMipSolver();
  const perSize = envNumber('BENCH_FULFILLMENT_INSTANCES', 5);
  const candidates = envNumber('BENCH_FULFILLMENT_CANDIDATES', 12);
  const summaries: SizeSummary[] = [];
  const instances: InstanceResult[] = [];
  const maxLines = envNumber('BENCH_FULFILLMENT_MAX_LINES', Infinity);
  const bestKnown = readBestKnown();
  const onlySeed = envNumber('BENCH_FULFILLMENT_SEED', NaN);
  const chosen = Number.isNaN(onlySeed)
    ? fulfillmentSizes.filter((s) => s.lines <= maxLines)
    : fulfillmentSizes.filter((s) => s.lines === sizeOfSeed(onlySeed));
  if (chosen.length === 0)
    throw new Error(`BENCH_FULFILLMENT_SEED=${onlySeed}: no size of ${sizeOfSeed(onlySeed)} lines`);
  for (const size of chosen) {
    const results: InstanceResult[] = [];
    const seeds = Number.isNaN(onlySeed)
      ? Array.from({ length: perSize }, (_, i) => seedOf(size.lines, i))
      : [onlySeed];
    for (const seed of seeds) {
      const spec = { lines: size.lines, sources: size.sources, seed };
      const problem = generateInstance(spec, benchNow);
      const options: PlanningOptions = {
        timeLimitSeconds: size.timeLimit,
        relativeGap: size.relativeGap,
        maxCandidateSourcesPerOrder: candidates,
      };
      const plan = await planBatch({ solver, clock: wallClock }, problem, benchStrategy, options);
      const demand = problem.orders.reduce((sum, o) => sum + o.lines.reduce((s, l) => s + l.quantity, 0), 0);
      const optimizer: Figures = {
        seconds: plan.solver.seconds,
        provenGap: plan.solver.provenGap,
        objective: plan.objective,
        shipmentsPerOrder: plan.shipments / problem.orders.length,
        fillRate: 1 - plan.unsourcedUnits / demand,
      };
      const peerFigures = {} as Record<PeerName, Figures>;
      for (const [name, ranking] of Object.entries(peers) as [PeerName, OptionRanking][]) {
        const started = performance.now();
        const pass = buildSourcingPass(
          problem,
          rulesForPass(benchStrategy, 1),
          1,
          initialPassState(problem),
          [
            ...problem.orders.map((o, orderIndex) => ({
              orderIndex,
              lineIndexes: o.lines.map((_, j) => j),
              preUsed: new Set<number>(),
            })),
          ]
        );
        const cost = costOfAllocations(pass, greedyPlan(pass, ranking));
        peerFigures[name] = {
          seconds: (performance.now() - started) / 1000,
          provenGap: null,
          objective: Math.round(cost.primary * 1000) / 1000,
          shipmentsPerOrder: cost.shipments / problem.orders.length,
          fillRate: 1 - cost.unsourcedUnits / demand,
        };
      }
      if (process.env.BENCH_FULFILLMENT_RECORD_BEST === '1')
        recordIfBest(problem, spec, plan, optimizer.seconds);
      const best = bestKnown.get(seed);
      const result: InstanceResult = {
        spec,
        orders: problem.orders.length,
        status: plan.solver.status,
        optimizer,
        peers: peerFigures,
        ratioToNearest: optimizer.objective / peerFigures.nearestPerLine.objective,
        ...(best === undefined
          ? {}
          : {
              bestKnown: {
                objective: best.objective,
                lowerBound: best.lowerBound,
                distance: optimizer.objective / best.objective - 1,
                gapToBound: 1 - best.lowerBound / optimizer.objective,
                extraUnsourced: plan.unsourcedUnits - best.unsourcedUnits,
              },
            }),
      };
      const versus =
        result.bestKnown === undefined
          ? 'no best known'
          : `best known ${result.bestKnown.objective.toFixed(0)} (distance ${(result.bestKnown.distance * 100).toFixed(3)}%, ` +
            `whole-problem gap ${(result.bestKnown.gapToBound * 100).toFixed(3)}%` +
            `${result.bestKnown.extraUnsourced === 0 ? '' : `, ${result.bestKnown.extraUnsourced} more units unsourced`})`;
      log(
        `fulfillment ${spec.lines}×${spec.sources} seed ${spec.seed}: ${optimizer.seconds.toFixed(2)} s, ` +
          `gap ${((optimizer.provenGap ?? 0) * 100).toFixed(3)}%, ${plan.solver.status}, objective ${optimizer.objective.toFixed(0)} km ` +
          `(nearest ${peerFigures.nearestPerLine.objective.toFixed(0)}, ratio ${result.ratioToNearest.toFixed(3)}), ` +
          `fill ${(optimizer.fillRate * 100).toFixed(1)}% vs ${(peerFigures.nearestPerLine.fillRate * 100).toFixed(1)}%, ` +
          `largest model ${JSON.stringify(plan.solver.passes[0]?.largestModel)}, groups ${plan.solver.groups}; ${versus}`
      );
      results.push(result);
    }
    instances.push(...results);
    const names = ['optimizer', ...Object.keys(peers)] as ('optimizer' | PeerName)[];
    const figuresOf = (r: InstanceResult, name: 'optimizer' | PeerName) =>
      name === 'optimizer' ? r.optimizer : r.peers[name];
    const total = (name: 'optimizer' | PeerName, f: (x: Figures) => number) =>
      results.reduce((sum, r) => sum + f(figuresOf(r, name)), 0);
    const orders = results.reduce((sum, r) => sum + r.orders, 0);
    summaries.push({
      lines: size.lines,
      sources: size.sources,
      instances: results.length,
      medianSeconds: median(results.map((r) => r.optimizer.seconds)),
      worstGap: Math.max(...results.map((r) => r.optimizer.provenGap ?? 1)),
      objective: Object.fromEntries(
        names.map((n) => [
          n,
          round(
            total(n, (f) => f.objective),
            1
          ),
        ])
      ) as SizeSummary['objective'],
      shipmentsPerOrder: Object.fromEntries(
        names.map((n) => [
          n,
          round(results.reduce((s, r) => s + figuresOf(r, n).shipmentsPerOrder * r.orders, 0) / orders, 3),
        ])
      ) as SizeSummary['shipmentsPerOrder'],
      fillRate: Object.fromEntries(
        names.map((n) => [n, round(total(n, (f) => f.fillRate) / results.length, 4)])
      ) as SizeSummary['fillRate'],
      ratioToNearest: round(
        total('optimizer', (f) => f.objective) / total('nearestPerLine', (f) => f.objective),
        4
      ),
      worstInstanceRatio: round(Math.max(...results.map((r) => r.ratioToNearest)), 4),
      ...distancesOf(results),
    });
  }
  lastInstances = instances;
  return summaries;
}

let lastInstances: InstanceResult[] = [];

/**
 * BENCH_FULFILLMENT_RECORD_BEST=1: a plan better than the fixture's best known becomes it (the bound
 * stays). The fixture then holds the best plan any method found, this bench's own included.
 */
function recordIfBest(problem: PlanningProblem, spec: InstanceSpec, plan: FulfillmentPlan, seconds: number) {
  const records = readBestKnown();
  const old = records.get(spec.seed);
  const today = new Date().toISOString().slice(0, 10);
  const fresh: BestKnown = {
    seed: spec.seed,
    lines: spec.lines,
    sources: spec.sources,
    unsourcedUnits: plan.unsourcedUnits,
    objective: plan.objective,
    planHash: planHash(problem, allocationsOfPlan(problem, plan)),
    foundBy: `the benchmark's own plan (${seconds.toFixed(1)} s)`,
    foundOn: today,
    seconds,
    lowerBound: 0,
    boundBy: 'none',
    boundOn: today,
    boundHolds,
  };
  const merged = mergeBestKnown(old, fresh);
  if (merged.planHash === old?.planHash && merged.lowerBound === old.lowerBound) return;
  records.set(spec.seed, merged);
  writeBestKnown(records);
}

function distancesOf(
  results: readonly InstanceResult[]
): Pick<SizeSummary, 'withBestKnown' | 'worstDistance' | 'meanDistance'> {
  const distances = results.flatMap((r) => (r.bestKnown === undefined ? [] : [r.bestKnown.distance]));
  return {
    withBestKnown: distances.length,
    worstDistance: distances.length === 0 ? null : round(Math.max(...distances), 6),
    meanDistance:
      distances.length === 0 ? null : round(distances.reduce((a, b) => a + b, 0) / distances.length, 6),
  };
}

/** The seed of instance `index` of the size with `lines` lines (see the header). */
export function seedOf(lines: number, index: number): number {
  return 1000 * lines + index;
}

export function sizeOfSeed(seed: number): number {
  return Math.floor(seed / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

interface Check {
  measure: string;
  /** A string when there is nothing to measure (e.g. "no best known"). */
  value: number | string;
  target: string;
  /** null: not measured (not a miss). */
  pass: boolean | null;
}

function checksOf(summaries: SizeSummary[]): Check[] {
  const checks: Check[] = [];
  for (const size of fulfillmentSizes) {
    const s = summaries.find((x) => x.lines === size.lines);
    if (s === undefined) continue;
    if (size.targetSeconds !== undefined) {
      checks.push({
        measure: `${s.lines}×${s.sources}: median solve seconds`,
        value: round(s.medianSeconds, 3),
        target: `≤ ${size.targetSeconds}`,
        pass: s.medianSeconds <= size.targetSeconds,
      });
      checks.push({
        measure: `${s.lines}×${s.sources}: worst proven gap`,
        value: s.worstGap,
        target: `≤ ${size.targetGap}`,
        pass: s.worstGap <= size.targetGap + 1e-12,
      });
    }
    if (size.targetDistance !== undefined) {
      const complete = s.withBestKnown === s.instances && s.worstDistance !== null;
      checks.push({
        measure: `${s.lines}×${s.sources}: worst distance from the best known (every seed)`,
        value: complete
          ? s.worstDistance!
          : s.withBestKnown === 0
            ? 'no best known'
            : `best known for ${s.withBestKnown} of ${s.instances} seeds`,
        target: `≤ ${size.targetDistance}`,
        pass: complete ? s.worstDistance! <= size.targetDistance + 1e-12 : null,
      });
    }
  }
  const objective = (summary: SizeSummary, name: 'optimizer' | 'nearestPerLine') => summary.objective[name];
  const ours = summaries.reduce((sum, s) => sum + objective(s, 'optimizer'), 0);
  const nearest = summaries.reduce((sum, s) => sum + objective(s, 'nearestPerLine'), 0);
  checks.push({
    measure: 'standard suite: objective / nearest-per-line',
    value: round(ours / nearest, 4),
    target: '≤ 0.9',
    pass: ours / nearest <= 0.9,
  });
  const worst = Math.max(...summaries.map((s) => s.worstInstanceRatio));
  checks.push({
    measure: 'worst instance: objective / nearest-per-line',
    value: worst,
    target: '≤ 1',
    pass: worst <= 1 + 1e-9,
  });
  return checks;
}

function toMarkdown(date: string, summaries: SizeSummary[], checks: Check[]): string {
  const machine = describeMachine();
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const rows = summaries.flatMap((s) => [
    `| ${s.lines} × ${s.sources} | optimizer (HiGHS) | ${s.medianSeconds.toFixed(3)} | ${(s.worstGap * 100).toFixed(3)}% | ${s.objective.optimizer} | ${s.shipmentsPerOrder.optimizer} | ${pct(s.fillRate.optimizer)} |`,
    `| | nearest source per line | | | ${s.objective.nearestPerLine} | ${s.shipmentsPerOrder.nearestPerLine} | ${pct(s.fillRate.nearestPerLine)} |`,
    `| | Saleor sorting order | | | ${s.objective.saleorSortingOrder} | ${s.shipmentsPerOrder.saleorSortingOrder} | ${pct(s.fillRate.saleorSortingOrder)} |`,
    `| | Saleor high stock | | | ${s.objective.saleorHighStock} | ${s.shipmentsPerOrder.saleorHighStock} | ${pct(s.fillRate.saleorHighStock)} |`,
    `| | *optimizer / nearest* | | | *${s.ratioToNearest}* (worst instance ${s.worstInstanceRatio}) | | |`,
  ]);
  const instanceRows = lastInstances.map((r) => {
    const b = r.bestKnown;
    const pct3 = (x: number) => `${(x * 100).toFixed(3)}%`;
    return `| ${r.spec.seed} | ${r.spec.lines} × ${r.spec.sources} | ${r.optimizer.objective.toFixed(1)} | ${r.optimizer.seconds.toFixed(2)} | ${b === undefined ? 'no best known' : b.objective.toFixed(1)} | ${b === undefined ? '' : b.lowerBound.toFixed(1)} | ${b === undefined ? '' : pct3(b.distance)}${b !== undefined && b.extraUnsourced !== 0 ? ` (${b.extraUnsourced} more units unsourced)` : ''} | ${b === undefined ? '' : pct3(b.gapToBound)} | ${pct3(r.optimizer.provenGap ?? 1)} | ${r.ratioToNearest.toFixed(4)} |`;
  });
  return [
    `# Fulfillment optimizer benchmark — ${date.slice(0, 10)}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cpuCount} CPUs, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.os}.`,
    '',
    `Instances per size: ${summaries[0]?.instances}; objective = km over shipments (one per order and source), summed over the instances; solve time = median; gap = worst proven gap (relative to the model pruned to the ${envNumber('BENCH_FULFILLMENT_CANDIDATES', 12)} nearest candidate sources per order).`,
    '',
    '| lines × sources | plan | solve s (median) | proven gap (worst) | objective km (Σ) | shipments / order | fill rate |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Per instance: the plan against the best known plan of the whole problem (every candidate source; test/bench/fixtures/fulfillment-best-known.json, made by fulfillment-best-known.ts). Distance = plan / best known − 1; whole-problem gap = 1 − best known bound / plan; proven gap = the planner's own, over the pruned model.`,
    '',
    '| seed | lines × sources | plan km | s | best known km | bound km | distance | whole-problem gap | proven gap (pruned) | / nearest |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...instanceRows,
    '',
    '| check | value | target | met |',
    '|---|---|---|---|',
    ...checks.map(
      (c) =>
        `| ${c.measure} | ${c.value} | ${c.target} | ${c.pass === null ? '—' : c.pass ? 'yes' : '**no**'} |`
    ),
    '',
  ].join('\n');
}

/** `BENCH_ONLY=fulfillment`: writes test/bench/results/fulfillment-YYYY-MM-DD.{json,md}; returns the exit code. */
export async function runFulfillmentOnly(date: Date, log: (line: string) => void): Promise<number> {
  const summaries = await runFulfillmentStage(log);
  const checks = checksOf(summaries);
  const iso = date.toISOString();
  const markdown = toMarkdown(iso, summaries, checks);
  const dir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `fulfillment-${iso.slice(0, 10)}`);
  const json = { date: iso, machine: describeMachine(), summaries, instances: lastInstances, checks };
  writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  const missed = checks.filter((c) => c.pass === false);
  if (missed.length > 0) log(`targets missed: ${missed.map((c) => c.measure).join('; ')}`);
  return missed.length > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0;
}

if (require.main === module) {
  runFulfillmentOnly(new Date(), (line) => process.stderr.write(`[bench] ${line}\n`)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    }
  );
}
