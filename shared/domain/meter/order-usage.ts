import { monthKey } from './month-key';

/**
 * What the meter counts (docs/data.md, licensing-style usage): order lines per month. An order counts
 * once, in the month it was created (UTC), with every line it was created with.
 */

/** What one order adds to its month. */
export interface OrderUsage {
  orderId: string;
  month: string;
  orderLines: number;
}

/** A month's totals as `GET /api/v1/meter` reports them. */
export interface MonthUsage {
  month: string;
  orderLines: number;
  orders: number;
}

/** The usage of a created order: its month from `createdAt`, one unit per line. */
export function orderUsage(order: {
  orderId: string;
  createdAt: string;
  lines: readonly unknown[];
}): OrderUsage {
  return { orderId: order.orderId, month: monthKey(order.createdAt), orderLines: order.lines.length };
}

/** A month nothing was counted in. */
export function emptyMonth(month: string): MonthUsage {
  return { month, orderLines: 0, orders: 0 };
}
