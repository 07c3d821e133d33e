import { planningDistanceKm, roundTo } from './geo-distance';
import type { PlanningLine, PlanningOrder, PlanningProblem, SourcingSource } from './planning-problem';
import { shipTodayBlock, type ShipTodayBlock } from './ship-today';
import type { Pass, SourcingRules } from './sourcing-rules';
import type { ConstraintType } from './strategy';

/** Why a source is not a candidate for a line. */
export type ExclusionCode =
  | 'source-offline'
  | 'no-stock'
  | 'safety-stock'
  | 'max-distance'
  | ShipTodayBlock
  | 'max-lines-per-day'
  | 'pruned';

/** The strategy constraint behind an exclusion (none: a fact, such as offline or no stock). */
export const constraintOfExclusion: Readonly<Partial<Record<ExclusionCode, ConstraintType>>> = {
  'safety-stock': 'useSafetyStock',
  'max-distance': 'maxDistanceKm',
  'non-working-day': 'respectCutoff',
  holiday: 'respectCutoff',
  'cutoff-passed': 'respectCutoff',
  'max-lines-per-day': 'maxLinesPerDay',
};

export interface Exclusion {
  sourceIndex: number;
  code: ExclusionCode;
}

/** A source a line may take units from: at most `cap` = min(quantity, available) units. */
export interface LineOption {
  sourceIndex: number;
  cap: number;
  unitCost: number;
}

/** Shipping (part of) an order from a source. */
export interface ShipmentOption {
  sourceIndex: number;
  distanceKm: number;
  /** The objective's cost of one shipment (distance, or per-shipment + per-km cost). */
  primaryCost: number;
  /** What the model charges: primaryCost plus the priority term; 0 when already used (pass 2). */
  cost: number;
  /** Used by lines fixed in an earlier pass: no new shipment, but it counts toward maxSourcesPerOrder. */
  preUsed: boolean;
}

export interface SourcingLine {
  /** Index of the line across the batch (orders in order, lines in order). */
  key: number;
  orderIndex: number;
  line: PlanningLine;
  options: LineOption[];
  exclusions: Exclusion[];
  unknownSku: boolean;
}

export interface SourcingOrder {
  orderIndex: number;
  order: PlanningOrder;
  /** Candidate shipments by source index: every source some line may use, plus pre-used ones. */
  shipments: Map<number, ShipmentOption>;
  lines: SourcingLine[];
}

/** Everything one pass plans against. */
export interface SourcingPass {
  pass: Pass;
  rules: SourcingRules;
  sources: readonly SourcingSource[];
  orders: SourcingOrder[];
  /** Units usable per stock key in this pass (after safety stock when it is held back). */
  available: Map<string, number>;
  /** Lines each source may still take today (undefined: no limit). */
  capacity: (number | undefined)[];
  /**
   * Model cost of one unsourced unit: more than everything any one order could cost (all its candidate
   * shipments and its dearest units), so no order ever leaves a unit it could take unsourced to save
   * shipments or unit costs of its own. Trades across orders are ruled out by the fill target instead
   * (see max-fill.ts).
   */
  penaltyPerUnit: number;
  /** Model cost per priority level per shipment (0 when priority is off). */
  priorityStep: number;
}

/** Stock and daily load as they stand before a pass (earlier passes' allocations taken out). */
export interface PassState {
  /** Units per stock key before safety stock. */
  stock: Map<string, number>;
  /** Lines planned per source index today (given, plus earlier passes). */
  linesPlanned: number[];
}

export function stockKey(sku: string, sourceIndex: number): string {
  return `${sourceIndex}\u0000${sku}`;
}

export function initialPassState(problem: PlanningProblem): PassState {
  const index = new Map(problem.sources.map((s, i) => [s.id, i]));
  const stock = new Map<string, number>();
  for (const row of problem.stock) {
    const sourceIndex = index.get(row.sourceId);
    if (sourceIndex === undefined || row.quantity <= 0) continue;
    const key = stockKey(row.sku, sourceIndex);
    stock.set(key, (stock.get(key) ?? 0) + Math.floor(row.quantity));
  }
  const linesPlanned = problem.sources.map((s) => problem.linesPlannedToday?.[s.id] ?? 0);
  return { stock, linesPlanned };
}

/** One order's lines to plan in a pass, and the sources it already ships from (pass 2). */
export interface OrderToPlan {
  orderIndex: number;
  lineIndexes: number[];
  preUsed: ReadonlySet<number>;
}

/**
 * The candidates of a pass: for every line each source is either an option (with its capacity) or
 * excluded with the first reason that applies — facts first (offline, no stock), then constraints.
 */
export function buildSourcingPass(
  problem: PlanningProblem,
  rules: SourcingRules,
  pass: Pass,
  state: PassState,
  toPlan: readonly OrderToPlan[]
): SourcingPass {
  const sources = problem.sources;
  const blocks = sources.map((s) => (rules.respectCutoff ? shipTodayBlock(s, problem.now) : undefined));
  const capacity = sources.map((s, i) => {
    const limit = rules.maxLinesPerDay ?? s.maxOrderLinesPerDay;
    return limit === undefined ? undefined : Math.max(0, limit - (state.linesPlanned[i] ?? 0));
  });
  const available = new Map<string, number>();
  const lineKeys = lineKeyOffsets(problem);
  const orders: SourcingOrder[] = [];
  for (const plan of toPlan) {
    const order = problem.orders[plan.orderIndex]!;
    const distances = sources.map((s) => planningDistanceKm(order.shipTo, s.location, rules.roadFactor));
    const used = new Set<number>(plan.preUsed);
    const lines: SourcingLine[] = plan.lineIndexes.map((lineIndex) => {
      const line = order.lines[lineIndex]!;
      const key = lineKeys[plan.orderIndex]! + lineIndex;
      const unknownSku = problem.unknownSkus?.has(line.sku) ?? false;
      const options: LineOption[] = [];
      const exclusions: Exclusion[] = [];
      if (!unknownSku) {
        sources.forEach((source, sourceIndex) => {
          const code = exclusionOf(source, sourceIndex);
          if (code !== undefined) {
            exclusions.push({ sourceIndex, code });
            return;
          }
          const usable = usableUnits(source, sourceIndex);
          available.set(stockKey(line.sku, sourceIndex), usable);
          options.push({ sourceIndex, cap: Math.min(line.quantity, usable), unitCost: unitCostOf(source) });
          used.add(sourceIndex);
        });
      }
      return { key, orderIndex: plan.orderIndex, line, options, exclusions, unknownSku };

      function exclusionOf(source: SourcingSource, sourceIndex: number): ExclusionCode | undefined {
        if (!source.online) return 'source-offline';
        if ((state.stock.get(stockKey(line.sku, sourceIndex)) ?? 0) <= 0) return 'no-stock';
        if (usableUnits(source, sourceIndex) <= 0) return 'safety-stock';
        if (rules.maxDistanceKm !== undefined && distances[sourceIndex]! > rules.maxDistanceKm) {
          return 'max-distance';
        }
        const block = blocks[sourceIndex];
        if (block !== undefined) return block;
        if (capacity[sourceIndex] === 0) return 'max-lines-per-day';
        return undefined;
      }

      function usableUnits(source: SourcingSource, sourceIndex: number): number {
        const units = state.stock.get(stockKey(line.sku, sourceIndex)) ?? 0;
        return rules.useSafetyStock ? units - source.safetyStock : units;
      }
    });
    const shipments = new Map<number, ShipmentOption>();
    for (const sourceIndex of [...used].sort((a, b) => a - b)) {
      const source = sources[sourceIndex]!;
      const distanceKm = distances[sourceIndex]!;
      const primaryCost =
        rules.objective === 'distance'
          ? distanceKm
          : roundTo((source.costs.perShipment ?? 0) + (source.costs.perKm ?? 0) * distanceKm, 3);
      const preUsed = plan.preUsed.has(sourceIndex);
      shipments.set(sourceIndex, { sourceIndex, distanceKm, primaryCost, cost: primaryCost, preUsed });
    }
    orders.push({ orderIndex: plan.orderIndex, order, shipments, lines });
  }

  // Priority and the unsourced penalty are scaled to this pass's own costs.
  let maxPrimary = 0;
  for (const order of orders) {
    for (const shipment of order.shipments.values()) maxPrimary = Math.max(maxPrimary, shipment.primaryCost);
  }
  const priorityStep =
    rules.priority === 'off' ? 0 : rules.priority === 'tie-break' ? 1 : Math.ceil(maxPrimary) + 1;
  for (const order of orders) {
    for (const shipment of order.shipments.values()) {
      const priority = priorityStep * (sources[shipment.sourceIndex]!.priority - 1);
      shipment.cost = shipment.preUsed ? 0 : roundTo(shipment.primaryCost + priority, 3);
    }
  }
  const penaltyPerUnit = fillFirstPenalty(orders);
  return { pass, rules, sources, orders, available, capacity, penaltyPerUnit, priorityStep };

  function unitCostOf(source: SourcingSource): number {
    return rules.objective === 'cost' ? (source.costs.perUnit ?? 0) : 0;
  }
}

/**
 * 1 + the most one order can cost: Σ of its candidate shipments + Σ over its lines of quantity × the
 * dearest unit cost. Bounded per order (not per batch), so the model's numbers stay well-scaled.
 */
export function fillFirstPenalty(orders: readonly SourcingOrder[]): number {
  let most = 0;
  for (const order of orders) {
    let total = 0;
    for (const shipment of order.shipments.values()) total += shipment.cost;
    for (const line of order.lines)
      total += line.line.quantity * line.options.reduce((max, o) => Math.max(max, o.unitCost), 0);
    most = Math.max(most, total);
  }
  return Math.ceil(most) + 1;
}

/** The batch-wide key of each order's first line. */
export function lineKeyOffsets(problem: Pick<PlanningProblem, 'orders'>): number[] {
  const offsets: number[] = [];
  let next = 0;
  for (const order of problem.orders) {
    offsets.push(next);
    next += order.lines.length;
  }
  return offsets;
}

/**
 * Bounds the model of a large batch: each order keeps its `keep` cheapest candidate shipments plus
 * the sources in `mustKeep` (those the greedy plan uses, so the warm start stays feasible); the others
 * become exclusions `pruned`. Returns how many (line, source) options were pruned.
 */
export function pruneCandidates(
  pass: SourcingPass,
  keep: number,
  mustKeep: (orderIndex: number) => ReadonlySet<number>
): number {
  let pruned = 0;
  for (const order of pass.orders) {
    const ranked = [...order.shipments.values()]
      .filter((s) => !s.preUsed)
      .sort((a, b) => a.cost - b.cost || a.sourceIndex - b.sourceIndex);
    if (ranked.length <= keep) continue;
    const kept = new Set<number>([...mustKeep(order.orderIndex)]);
    for (const s of order.shipments.values()) if (s.preUsed) kept.add(s.sourceIndex);
    for (const s of ranked.slice(0, keep)) kept.add(s.sourceIndex);
    for (const line of order.lines) {
      const dropped = line.options.filter((o) => !kept.has(o.sourceIndex));
      if (dropped.length === 0) continue;
      pruned += dropped.length;
      line.options = line.options.filter((o) => kept.has(o.sourceIndex));
      for (const o of dropped) line.exclusions.push({ sourceIndex: o.sourceIndex, code: 'pruned' });
    }
    for (const sourceIndex of [...order.shipments.keys()]) {
      if (!kept.has(sourceIndex)) order.shipments.delete(sourceIndex);
    }
  }
  // Fewer candidates per order: a smaller penalty still dominates every order's own costs.
  pass.penaltyPerUnit = fillFirstPenalty(pass.orders);
  return pruned;
}
