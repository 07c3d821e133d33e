import type { MonthUsage, OrderUsage } from '../domain/meter/order-usage';

/** Order lines per month (docs/data.md, `meter` container). */
export interface OrderLineMeter {
  /**
   * Adds an order's lines to its month, once per order id: counting the same order again (a
   * redelivered intake message) changes nothing and answers 'already-counted'. Safe under
   * concurrency: no increment is lost.
   */
  count(usage: OrderUsage): Promise<'counted' | 'already-counted'>;
  /** Counts each of them as `count` does, with fewer writes than one per order. */
  countAll(usages: readonly OrderUsage[]): Promise<void>;
  /** The totals of each month asked for (zeros for a month nothing was counted in), in that order. */
  months(months: readonly string[]): Promise<MonthUsage[]>;
}
