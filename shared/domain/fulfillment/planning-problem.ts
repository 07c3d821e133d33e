import type { GeoPoint, Source } from './source';

/** What sourcing reads of a source (a stored Source has all of it). */
export type SourcingSource = Pick<
  Source,
  | 'id'
  | 'location'
  | 'online'
  | 'timeZone'
  | 'safetyStock'
  | 'cutoffTime'
  | 'calendar'
  | 'maxOrderLinesPerDay'
  | 'priority'
  | 'costs'
  | 'acceptsReturns'
>;

export interface PlanningLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/** One order of a batch: its lines ship to one place, so a source used for it is one shipment. */
export interface PlanningOrder {
  orderId: string;
  shipTo: GeoPoint;
  lines: PlanningLine[];
}

/** Units of a SKU available at a source, before the source's safety stock is held back. */
export interface StockLevel {
  sku: string;
  sourceId: string;
  quantity: number;
}

/** A batch to plan: orders against sources (in source-list order) and their stock. */
export interface PlanningProblem {
  orders: PlanningOrder[];
  sources: SourcingSource[];
  stock: StockLevel[];
  /** Order lines already planned today per source id (for daily line limits); absent = 0. */
  linesPlannedToday?: Readonly<Record<string, number>>;
  /** SKUs the catalog does not know: their lines are not sourced, with reason `unknown-sku`. */
  unknownSkus?: ReadonlySet<string>;
  /** The instant the plan is made (cut-offs and calendars are read against it). */
  now: Date;
}

/** Knobs of the planning engine (not business constraints). */
export interface PlanningOptions {
  /** Wall-clock budget for the whole batch (all passes and groups), in seconds. */
  timeLimitSeconds: number;
  /** HiGHS stops once the proven relative gap is at most this (0 = prove optimality). */
  relativeGap: number;
  /**
   * Keep only this many cheapest candidate sources per order (plus those the greedy plan uses and
   * those of the order's cheapest plan alone), to bound the model on large batches. Pruned sources are
   * reported; the gap is relative to the pruned model. The local search that ends the plan sees 3×
   * as many. Absent: no pruning.
   */
  maxCandidateSourcesPerOrder?: number;
}

export const defaultPlanningOptions: PlanningOptions = { timeLimitSeconds: 10, relativeGap: 1e-4 };
