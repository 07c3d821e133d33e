import { findCoupling, decomposeGroups, type Coupling } from '../../domain/fulfillment/decompose-groups';
import {
  assemblePlan,
  type FulfillmentPlan,
  type PassReport,
  type PlanOutcome,
  type SolverReport,
} from '../../domain/fulfillment/fulfillment-plan';
import {
  cheapestShipmentFirst,
  costOfAllocations,
  greedyPlan,
  type PassAllocations,
} from '../../domain/fulfillment/greedy-plan';
import { improveByLocalSearch } from '../../domain/fulfillment/local-search';
import { raiseFill, unsourcedUnits } from '../../domain/fulfillment/max-fill';
import { allocationsFromValues, buildMipModel, columnValues } from '../../domain/fulfillment/mip-model';
import {
  patternsApply,
  priceOrder,
  unavoidablePenalty,
  type OrderPattern,
} from '../../domain/fulfillment/order-patterns';
import type { PlanningOptions, PlanningProblem } from '../../domain/fulfillment/planning-problem';
import {
  buildSourcingPass,
  initialPassState,
  pruneCandidates,
  stockKey,
  type OrderToPlan,
  type SourcingOrder,
  type SourcingPass,
} from '../../domain/fulfillment/sourcing-pass';
import { hasSoftConstraints, rulesForPass } from '../../domain/fulfillment/sourcing-rules';
import type { FulfillmentStrategy } from '../../domain/fulfillment/strategy';
import type { Clock } from '../../ports/clock';
import type { MipSolver } from '../../ports/mip-solver';
import { solveByPatterns } from './solve-by-patterns';

export interface PlanBatchDeps {
  solver: MipSolver;
  clock: Clock;
}

type StrategyForPlanning = Pick<
  FulfillmentStrategy,
  'id' | 'objective' | 'roadFactor' | 'constraints' | 'simulation'
>;

interface PassResult {
  allocations: PassAllocations;
  report: PassReport;
  primal: number;
  dual: number;
  optimal: boolean;
  fellBack: boolean;
  pruned: number;
  groups: number;
}

/**
 * The solver stops this long before the time limit: a HiGHS call runs its minimum slice and parsing
 * past any deadline, and building the plan from the last solution does not look at the clock, so the
 * limit holds for the whole plan only with room left for both: 5% of the limit, at most 500 ms.
 */
function finishingReserveMs(timeLimitSeconds: number): number {
  return Math.min(500, timeLimitSeconds * 1000 * 0.05);
}

/**
 * Plans a batch of orders (the engine behind the plan API, the journey activity and the returns
 * optimizer's sibling): pass 1 with every constraint, then — when some are soft — pass 2 without
 * them for the lines pass 1 left not fully sourced. Each pass is decomposed into independent groups,
 * each group solved as one MIP with HiGHS from the greedy plan as warm start; a group keeps the
 * greedy plan when the solver finds nothing better within the time left (or fails).
 */
export async function planBatch(
  deps: PlanBatchDeps,
  problem: PlanningProblem,
  strategy: StrategyForPlanning,
  options: PlanningOptions
): Promise<FulfillmentPlan> {
  const startedMs = deps.clock.now().getTime();
  const deadlineMs =
    startedMs + options.timeLimitSeconds * 1000 - finishingReserveMs(options.timeLimitSeconds);
  const state = initialPassState(problem);
  const outcome: PlanOutcome = { allocations: new Map(), lastPlanned: new Map() };
  const results: PassResult[] = [];

  const everything: OrderToPlan[] = problem.orders.map((order, orderIndex) => ({
    orderIndex,
    lineIndexes: order.lines.map((_, i) => i),
    preUsed: new Set<number>(),
  }));
  const first = buildSourcingPass(problem, rulesForPass(strategy, 1), 1, state, everything);
  const firstResult = await solvePass(deps, first, options, deadlineMs);
  results.push(firstResult);
  record(first, firstResult.allocations);

  if (hasSoftConstraints(strategy)) {
    const again: OrderToPlan[] = [];
    for (const order of first.orders) {
      const unfilled: number[] = [];
      const preUsed = new Set<number>();
      order.lines.forEach((line, lineIndex) => {
        const parts = firstResult.allocations.get(line.key) ?? [];
        const units = parts.reduce((sum, p) => sum + p.quantity, 0);
        if (units >= line.line.quantity) {
          // Kept from pass 1: its stock and daily load are spoken for.
          for (const p of parts) {
            const key = stockKey(line.line.sku, p.sourceIndex);
            state.stock.set(key, (state.stock.get(key) ?? 0) - p.quantity);
            state.linesPlanned[p.sourceIndex] = (state.linesPlanned[p.sourceIndex] ?? 0) + 1;
            preUsed.add(p.sourceIndex);
          }
        } else if (!line.unknownSku) unfilled.push(lineIndex);
      });
      if (unfilled.length > 0) again.push({ orderIndex: order.orderIndex, lineIndexes: unfilled, preUsed });
    }
    if (again.length > 0) {
      const second = buildSourcingPass(problem, rulesForPass(strategy, 2), 2, state, again);
      const secondResult = await solvePass(deps, second, options, deadlineMs);
      results.push(secondResult);
      record(second, secondResult.allocations);
    }
  }

  const primal = results.reduce((sum, r) => sum + r.primal, 0);
  const dual = results.reduce((sum, r) => sum + r.dual, 0);
  const solver: SolverReport = {
    status: results.some((r) => r.fellBack)
      ? 'greedy-fallback'
      : results.every((r) => r.optimal)
        ? 'optimal'
        : 'time-limit',
    provenGap: primal > 1e-9 ? Math.max(0, (primal - dual) / primal) : 0,
    groups: results.reduce((sum, r) => sum + r.groups, 0),
    prunedOptions: results.reduce((sum, r) => sum + r.pruned, 0),
    seconds: (deps.clock.now().getTime() - startedMs) / 1000,
    passes: results.map((r) => r.report),
  };
  return assemblePlan(problem, strategy, outcome, solver);

  function record(pass: SourcingPass, allocations: PassAllocations) {
    for (const order of pass.orders) {
      for (const line of order.lines) {
        outcome.allocations.set(line.key, allocations.get(line.key) ?? []);
        outcome.lastPlanned.set(line.key, { pass, line });
      }
    }
  }
}

async function solvePass(
  deps: PlanBatchDeps,
  pass: SourcingPass,
  options: PlanningOptions,
  deadlineMs: number
): Promise<PassResult> {
  const greedy = greedyPlan(pass, cheapestShipmentFirst);
  let pruned = 0;
  // The local search at the end sees more candidates than the model (see localSearchWidth).
  let wide: SourcingPass = pass;
  const aloneByOrder = new Map<number, OrderPattern>();
  // Time to price every order once over the wide candidates: what one sweep of the search costs.
  let sweepMs = 0;
  if (options.maxCandidateSourcesPerOrder !== undefined) {
    wide = copyOfCandidates(pass);
    const usedBy = new Map<number, Set<number>>();
    for (const order of pass.orders) {
      const used = new Set<number>();
      for (const line of order.lines) for (const p of greedy.get(line.key) ?? []) used.add(p.sourceIndex);
      usedBy.set(order.orderIndex, used);
    }
    pruneCandidates(
      wide,
      localSearchWidth * options.maxCandidateSourcesPerOrder,
      (i) => usedBy.get(i) ?? new Set()
    );
    // The nearest sources are not always the ones that pay: a farther one may hold most of an order's
    // lines. The sources of each order's cheapest plan alone (over the wide candidates) stay in the
    // model too.
    if (patternsApply(wide, false)) {
      const pricingStarted = deps.clock.now().getTime();
      for (const order of wide.orders) {
        const alone = priceOrder(wide, order, () => 0).best;
        aloneByOrder.set(order.orderIndex, alone);
        for (const parts of alone.parts.values())
          for (const p of parts) usedBy.get(order.orderIndex)!.add(p.sourceIndex);
      }
      sweepMs = deps.clock.now().getTime() - pricingStarted;
    }
    pruned = pruneCandidates(pass, options.maxCandidateSourcesPerOrder, (i) => usedBy.get(i) ?? new Set());
  }
  const coupling = findCoupling(pass);
  const groups = decomposeGroups(pass, coupling).sort((a, b) => a.length - b.length);
  const allocations: PassAllocations = new Map(greedy);
  // Per group: the greedy plan raised to the group's fill target (a start that reaches it).
  const start: PassAllocations = new Map(greedy);
  const byPatterns = patternsApply(pass, coupling.capacitySources.size > 0);
  // The models stop early enough to leave the local search a few sweeps' time, at most its share (time
  // it does not use is lost to the models). Without pruning it has only what the models leave.
  const totalMs = Math.max(0, deadlineMs - deps.clock.now().getTime());
  const searchMs = byPatterns ? Math.min(localSearchShare * totalMs, localSearchSweeps * sweepMs) : 0;
  const groupsDeadlineMs = deadlineMs - searchMs;
  let primal = 0;
  let dual = 0;
  let optimal = true;
  let fellBack = false;
  const largestModel = { columns: 0, rows: 0, integers: 0 };
  for (const group of groups) {
    // Fill first: the most units the group can source is a hard target of everything below.
    const target = await fillTarget(deps, pass, group, coupling, greedy, groupsDeadlineMs);
    for (const [key, parts] of target.plan) start.set(key, parts);
    const maxUnsourced = target.unsourced;
    // Penalties every plan of the group pays are left out of primal and bound alike, so that the
    // gap measures the choices the solver makes.
    const constantPenalty = target.proven ? maxUnsourced * pass.penaltyPerUnit : undefined;
    // Patterns first (tight bound, good plan); the per-line model then finishes what they leave open.
    let incumbent: PassAllocations = start;
    let patternBound = -Infinity;
    if (byPatterns) {
      const solved = await solveByPatterns(deps, pass, group, coupling, start, {
        deadlineMs: groupsDeadlineMs,
        relativeGap: options.relativeGap,
        maxUnsourced,
        constantPenalty,
      });
      if (solved.masterRows > largestModel.rows) {
        Object.assign(largestModel, {
          columns: solved.masterColumns,
          rows: solved.masterRows,
          integers: solved.masterColumns,
        });
      }
      if (solved.optimal || deps.clock.now().getTime() >= groupsDeadlineMs) {
        for (const [key, parts] of solved.allocations) allocations.set(key, parts);
        primal += solved.primal;
        dual += solved.dual;
        if (!solved.optimal) optimal = false;
        continue;
      }
      incumbent = new Map(start);
      for (const [key, parts] of solved.allocations) incumbent.set(key, parts);
      patternBound = solved.lowerBound;
    }
    const model = buildMipModel(pass, group, coupling, { maxUnsourced });
    if (model.columns.length === 0) {
      for (const key of group.flatMap((o) => o.lines.map((l) => l.key)))
        allocations.set(key, incumbent.get(key) ?? []);
      continue;
    }
    if (model.columns.length > largestModel.columns) {
      Object.assign(largestModel, {
        columns: model.columns.length,
        rows: model.rows,
        integers: model.integers,
      });
    }
    // The model's objective leaves out the penalties of units no source can give (fixedPenalty).
    const constant = Math.max(model.fixedPenalty, constantPenalty ?? 0);
    const shift = constant - model.fixedPenalty;
    const startCost = costOfAllocations(pass, incumbent, group).model - constant;
    const secondsLeft = (groupsDeadlineMs - deps.clock.now().getTime()) / 1000;
    const solution =
      secondsLeft > 0
        ? await deps.solver.solve(
            { lpText: model.lpText, columnNames: model.columnNames, start: columnValues(model, incumbent) },
            { timeLimitSeconds: secondsLeft, relativeGap: options.relativeGap }
          )
        : undefined;
    const bound = Math.max(0, (solution?.dualBound ?? 0) - shift, patternBound - constant);
    let kept = startCost;
    if (solution?.values !== undefined) {
      const found = allocationsFromValues(model, solution.values);
      const foundCost = costOfAllocations(pass, found, group).model - constant;
      // The warm start makes HiGHS at least as good as its start; should it not be, the start stands.
      if (foundCost <= startCost + 1e-6 && unsourcedUnits(group, found) <= maxUnsourced) kept = foundCost;
      for (const [key, parts] of kept === foundCost ? found : incumbent) allocations.set(key, parts);
      if (solution.outcome !== 'optimal' && kept - bound > options.relativeGap * kept + 1e-6) optimal = false;
    } else {
      for (const key of group.flatMap((o) => o.lines.map((l) => l.key)))
        allocations.set(key, incumbent.get(key) ?? []);
      if (!byPatterns) fellBack = true;
      optimal = false;
    }
    primal += kept;
    dual += Math.min(bound, kept);
  }
  if (byPatterns && deps.clock.now().getTime() < deadlineMs) {
    const searched = improveByLocalSearch(
      wide,
      wide.orders,
      allocations,
      () => deps.clock.now().getTime() >= deadlineMs,
      aloneByOrder
    );
    if (searched.moves > 0) {
      for (const [key, parts] of searched.allocations) allocations.set(key, parts);
      // The models' primal counts shipment and unit costs at the fill target: what the search saved.
      primal -= searched.saved;
      dual = Math.min(dual, primal);
    }
  }
  const cost = costOfAllocations(pass, allocations);
  const greedyTotal = costOfAllocations(pass, greedy);
  return {
    allocations,
    primal,
    dual,
    optimal,
    fellBack,
    pruned,
    groups: groups.length,
    report: {
      pass: pass.pass,
      lines: pass.orders.reduce((sum, o) => sum + o.lines.length, 0),
      groups: groups.length,
      modelObjective: cost.model,
      greedyObjective: greedyTotal.model,
      penaltyPerUnit: pass.penaltyPerUnit,
      priorityStep: pass.priorityStep,
      largestModel,
    },
  };
}

/**
 * The local search after the models sees this many times the model's candidates per order: sources
 * pruned for the model's size can still pay (an order whose lines a farther source holds together).
 * Measured on the benchmark: pricing every order exactly costs ~10× more at 3× the candidates (5,000 ×
 * 200: 0.06 s at 12, 0.22 s at 24, 0.57 s at 36, 1.35 s at 60); at 500 × 50, 2 s, 3× gave better plans
 * than 2× or every candidate on 4 of 5 seeds.
 */
const localSearchWidth = 3;

/**
 * Share of the time limit kept for the local search when the pass is planned by patterns. Measured on
 * the benchmark's 500 × 50 instances (2 s): 10 % gave a better plan than none on all 5 seeds (0.1–1.9 %);
 * larger shares leave the column generation too few rounds.
 */
const localSearchShare = 0.1;

/**
 * Sweeps of the local search its time is sized by (one sweep prices every order once; pairs cost a
 * few more): 100 × 20 lost to a fixed 10 % (its per-line MIP needed the time, the search found little).
 */
const localSearchSweeps = 4;

/** The pass with its own copy of every order's candidates (pruning one leaves the other alone). */
function copyOfCandidates(pass: SourcingPass): SourcingPass {
  return {
    ...pass,
    orders: pass.orders.map((order) => ({
      ...order,
      shipments: new Map(order.shipments),
      lines: order.lines.map((line) => ({
        ...line,
        options: [...line.options],
        exclusions: [...line.exclusions],
      })),
    })),
  };
}

/**
 * The group's fill target — the fewest units any plan leaves unsourced — and a plan that reaches it.
 * Augmenting paths from the greedy plan reach it exactly when the rules make it a max flow (partial
 * lines and orders, no sources-per-order or per-line limit, no binding daily limit) or when they leave
 * only units no plan can source; otherwise a MIP that only counts unsourced units (HiGHS, from that
 * plan, with up to half the time left) decides it. Should that MIP not finish, its best plan sets the
 * target (then not proven the maximum).
 */
async function fillTarget(
  deps: PlanBatchDeps,
  pass: SourcingPass,
  group: readonly SourcingOrder[],
  coupling: Coupling,
  greedy: PassAllocations,
  deadlineMs: number
): Promise<FillTarget> {
  const raised = raiseFill(pass, group, greedy, coupling.capacitySources);
  const fixedUnits = group.reduce((sum, o) => sum + unavoidablePenalty(pass, o), 0) / pass.penaltyPerUnit;
  if (raised.exact || raised.unsourced <= fixedUnits) {
    return { plan: raised.allocations, unsourced: raised.unsourced, proven: true };
  }
  const model = buildMipModel(pass, group, coupling, { objective: 'fill' });
  const secondsLeft = (deadlineMs - deps.clock.now().getTime()) / 1000;
  if (model.columns.length === 0)
    return { plan: raised.allocations, unsourced: raised.unsourced, proven: true };
  if (secondsLeft <= 0) return { plan: raised.allocations, unsourced: raised.unsourced, proven: false };
  const solution = await deps.solver.solve(
    { lpText: model.lpText, columnNames: model.columnNames, start: columnValues(model, raised.allocations) },
    { timeLimitSeconds: secondsLeft / 2, relativeGap: 0 }
  );
  const proven = solution.outcome === 'optimal';
  if (solution.values !== undefined) {
    const found = allocationsFromValues(model, solution.values);
    const unsourced = unsourcedUnits(group, found);
    if (unsourced < raised.unsourced) return { plan: found, unsourced, proven };
  }
  return { plan: raised.allocations, unsourced: raised.unsourced, proven };
}

interface FillTarget {
  /** A plan that reaches the target. */
  plan: PassAllocations;
  /** Units the group's plan may leave unsourced at most. */
  unsourced: number;
  /**
   * The target is the fewest units any plan can leave unsourced. Then every plan the model allows
   * leaves exactly that many, and their penalty is a constant of the model.
   */
  proven: boolean;
}
