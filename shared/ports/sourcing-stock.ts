import type { StockLevel } from '../domain/fulfillment/planning-problem';

/**
 * Stock as sourcing sees it: per (SKU, source) the units that may still be promised, before the
 * source's safety stock (the optimizer holds that back itself when `useSafetyStock` is on).
 */
export interface SourcingStock {
  /** Rows with quantity > 0 for the given SKUs (at the given sources, when given). */
  available(skus: readonly string[], sourceIds?: readonly string[]): Promise<StockLevel[]>;
}

/** Order lines already planned today per source (for daily line limits). */
export interface SourceDailyLoad {
  linesPlannedToday(sourceIds: readonly string[], now: Date): Promise<Record<string, number>>;
}
