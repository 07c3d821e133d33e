import { planningDistanceKm, roundTo } from './geo-distance';
import type { PassAllocations } from './greedy-plan';
import type { PlanningProblem } from './planning-problem';
import {
  constraintOfExclusion,
  lineKeyOffsets,
  type ExclusionCode,
  type SourcingLine,
  type SourcingPass,
} from './sourcing-pass';
import type { ConstraintType, FulfillmentObjective } from './strategy';

export const planLineStatuses = ['fully-sourced', 'partially-sourced', 'not-sourced'] as const;
export type PlanLineStatus = (typeof planLineStatuses)[number];

export interface PlanAllocation {
  sourceId: string;
  quantity: number;
  distanceKm: number;
}

/** Why (part of) a line is not sourced. */
export interface PlanReason {
  code: string;
  message: string;
  /** The strategy constraint behind it, and whether it was hard. */
  constraint?: ConstraintType;
  hard?: boolean;
  /** The sources this reason excluded. */
  sourceIds?: string[];
}

export interface PlanLine {
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  status: PlanLineStatus;
  allocations: PlanAllocation[];
  reasons?: PlanReason[];
}

/** How the solver did, over all passes and groups. */
export interface SolverReport {
  /** `optimal`: every group proven within the requested gap; `time-limit`: some group stopped early; `greedy-fallback`: some group kept the greedy plan (no solution in time, or a solver failure). */
  status: 'optimal' | 'time-limit' | 'greedy-fallback';
  /** (Σ objective − Σ proven bound) / Σ objective over the models solved (penalties of units no plan could source left out); relative to the pruned model when candidates were pruned. */
  provenGap: number;
  groups: number;
  /** Candidate (line, source) pairs left out of the model for size (see maxCandidateSourcesPerOrder). */
  prunedOptions: number;
  seconds: number;
  passes: PassReport[];
}

export interface PassReport {
  pass: 1 | 2;
  lines: number;
  groups: number;
  /** The pass's model objective of the plan kept (penalties and priority terms included). */
  modelObjective: number;
  /** The same for the greedy (nearest-per-line) plan of the pass. */
  greedyObjective: number;
  penaltyPerUnit: number;
  priorityStep: number;
  /** Largest model solved: columns, rows, integer columns. */
  largestModel: { columns: number; rows: number; integers: number };
}

export interface FulfillmentPlan {
  strategyId: string;
  objectiveType: FulfillmentObjective;
  simulation: boolean;
  planLines: PlanLine[];
  /** Total of the objective: kilometres over shipments, or money (per shipment + per unit + per km). */
  objective: number;
  shipments: number;
  unsourcedUnits: number;
  solver: SolverReport;
}

/** Final allocations per line key, and the pass each line was last planned in. */
export interface PlanOutcome {
  allocations: PassAllocations;
  lastPlanned: Map<number, { pass: SourcingPass; line: SourcingLine }>;
}

/**
 * The plan as clients see it: per line its allocations (distance of the shipment), status, and for
 * what is not sourced the reasons — which constraints excluded which sources, or that no source has
 * stock. Objective totals count each (order, source) shipment once, whichever pass made it.
 */
export function assemblePlan(
  problem: PlanningProblem,
  strategy: { id: string; objective: FulfillmentObjective; roadFactor: number; simulation: boolean },
  outcome: PlanOutcome,
  solver: SolverReport
): FulfillmentPlan {
  const offsets = lineKeyOffsets(problem);
  const planLines: PlanLine[] = [];
  let objective = 0;
  let shipments = 0;
  let unsourcedUnits = 0;
  problem.orders.forEach((order, orderIndex) => {
    const used = new Set<number>();
    order.lines.forEach((line, lineIndex) => {
      const key = offsets[orderIndex]! + lineIndex;
      const parts = (outcome.allocations.get(key) ?? []).filter((p) => p.quantity > 0);
      const allocated = parts.reduce((sum, p) => sum + p.quantity, 0);
      unsourcedUnits += line.quantity - allocated;
      const allocations = parts.map((p) => {
        used.add(p.sourceIndex);
        const source = problem.sources[p.sourceIndex]!;
        if (strategy.objective === 'cost') objective += (source.costs.perUnit ?? 0) * p.quantity;
        return {
          sourceId: source.id,
          quantity: p.quantity,
          distanceKm: planningDistanceKm(order.shipTo, source.location, strategy.roadFactor),
        };
      });
      const status: PlanLineStatus =
        allocated >= line.quantity ? 'fully-sourced' : allocated > 0 ? 'partially-sourced' : 'not-sourced';
      const last = outcome.lastPlanned.get(key);
      const reasons =
        status === 'fully-sourced'
          ? undefined
          : problem.unknownSkus?.has(line.sku)
            ? [{ code: 'unknown-sku', message: `SKU ${line.sku} is not in the catalog.` }]
            : last === undefined
              ? []
              : reasonsFor(problem, last.pass, last.line, line.quantity - allocated);
      planLines.push({
        orderId: order.orderId,
        lineId: line.lineId,
        sku: line.sku,
        quantity: line.quantity,
        status,
        allocations,
        ...(reasons === undefined ? {} : { reasons }),
      });
    });
    for (const sourceIndex of used) {
      const source = problem.sources[sourceIndex]!;
      const distance = planningDistanceKm(order.shipTo, source.location, strategy.roadFactor);
      objective +=
        strategy.objective === 'distance'
          ? distance
          : (source.costs.perShipment ?? 0) + (source.costs.perKm ?? 0) * distance;
      shipments += 1;
    }
  });
  return {
    strategyId: strategy.id,
    objectiveType: strategy.objective,
    simulation: strategy.simulation,
    planLines,
    objective: roundTo(objective, 3),
    shipments,
    unsourcedUnits,
    solver,
  };
}

const exclusionMessages: Record<ExclusionCode, string> = {
  'source-offline': 'sources are offline',
  'no-stock': 'sources have no stock of the SKU',
  'safety-stock': 'sources have no stock above their safety stock',
  'max-distance': 'sources are beyond the maximum distance',
  'non-working-day': 'sources do not work today',
  holiday: 'sources are on holiday today',
  'cutoff-passed': "sources are past today's cut-off time",
  'max-lines-per-day': 'sources have reached their order lines for today',
  pruned: 'sources were left out of the model for size (farther than the kept candidates)',
};

function reasonsFor(
  problem: PlanningProblem,
  pass: SourcingPass,
  line: SourcingLine,
  missing: number
): PlanReason[] {
  const { rules } = pass;
  const byCode = new Map<ExclusionCode, string[]>();
  for (const e of line.exclusions) {
    const ids = byCode.get(e.code) ?? [];
    ids.push(problem.sources[e.sourceIndex]!.id);
    byCode.set(e.code, ids);
  }
  const reasons: PlanReason[] = [];
  if (line.options.length === 0 && [...byCode.keys()].every((c) => c === 'no-stock')) {
    return [{ code: 'no-stock', message: `No source has stock of ${line.line.sku}.` }];
  }
  for (const [code, sourceIds] of byCode) {
    const constraint = constraintOfExclusion[code];
    reasons.push({
      code,
      message: `${sourceIds.length} ${exclusionMessages[code]}.`,
      ...(constraint === undefined ? {} : { constraint, hard: rules.hard.has(constraint) }),
      sourceIds,
    });
  }
  if (line.options.length > 0) {
    const reachable = line.options.reduce((sum, o) => sum + o.cap, 0);
    if (reachable < line.line.quantity) {
      reasons.push({
        code: 'insufficient-stock',
        message: `The candidate sources hold ${reachable} of ${line.line.quantity} units.`,
        sourceIds: line.options.map((o) => problem.sources[o.sourceIndex]!.id),
      });
    }
    const limit = (constraint: ConstraintType, code: string, message: string) =>
      reasons.push({ code, message, constraint, hard: rules.hard.has(constraint) });
    if (!rules.allowPartialLine && missing === line.line.quantity && reachable >= line.line.quantity) {
      limit('allowPartialLine', 'partial-line-not-allowed', 'The line could only be sourced in part.');
    }
    if (!rules.allowPartialOrder) {
      limit(
        'allowPartialOrder',
        'partial-order-not-allowed',
        'Not every line of the order could be sourced.'
      );
    }
    if (rules.maxSourcesPerOrder !== undefined) {
      limit(
        'maxSourcesPerOrder',
        'max-sources-per-order',
        `At most ${rules.maxSourcesPerOrder} sources per order.`
      );
    }
    if (rules.maxSourcesPerLine !== undefined) {
      limit(
        'maxSourcesPerLine',
        'max-sources-per-line',
        `At most ${rules.maxSourcesPerLine} sources per line.`
      );
    }
    if (reachable >= line.line.quantity && reasons.every((r) => r.constraint === undefined)) {
      reasons.push({
        code: 'stock-taken-by-other-lines',
        message: "The candidate sources' stock went to other lines of the batch.",
      });
    }
  }
  return reasons;
}
