import type { Order } from '../orders/order';
import { raiseOnOrder, type RaiseOutcome } from '../orders/raise-on-order';
import type { StateFrameworkConfig } from '../states/state-framework';
import type { FulfillmentOrder } from './fulfillment-order';

export interface OrderLineProgress {
  lineId: string;
  /** The order line's quantity. */
  quantity: number;
  /** Units on fulfillment orders (their lines' quantities). */
  onFulfillmentOrders: number;
  picked: number;
  packed: number;
  shipped: number;
  delivered: number;
  cancelled: number;
  /**
   * `fulfilled`: every unit shipped or cancelled, at least one shipped; `cancelled`: every unit
   * cancelled; `open` otherwise (including units no FO carries yet).
   */
  outcome: 'open' | 'fulfilled' | 'cancelled';
  /** The order line event the outcome calls for and the line's state does not show yet, or null. */
  event: 'Order Line Fulfilled' | 'Order Line Cancelled' | null;
}

/**
 * The order's lines summed over the FO lines that carry them (FOs of other orders, and their lines
 * of other orders, are left out), with the event each line is due.
 */
export function orderLineProgress(
  order: Pick<Order, 'orderId' | 'lines'>,
  fulfillmentOrders: readonly FulfillmentOrder[]
): OrderLineProgress[] {
  const foLines = fulfillmentOrders.flatMap((fo) => fo.lines).filter((l) => l.orderId === order.orderId);
  return order.lines.map((orderLine) => {
    const mine = foLines.filter((l) => l.lineId === orderLine.lineId);
    const sum = (key: 'quantity' | 'picked' | 'packed' | 'shipped' | 'delivered' | 'cancelled') =>
      mine.reduce((total, l) => total + l[key], 0);
    const shipped = sum('shipped');
    const cancelled = sum('cancelled');
    const outcome =
      cancelled >= orderLine.quantity
        ? 'cancelled'
        : shipped > 0 && shipped + cancelled >= orderLine.quantity
          ? 'fulfilled'
          : 'open';
    const event =
      outcome === 'fulfilled' && orderLine.state !== 'completed'
        ? 'Order Line Fulfilled'
        : outcome === 'cancelled' && orderLine.state !== 'cancelled'
          ? 'Order Line Cancelled'
          : null;
    return {
      lineId: orderLine.lineId,
      quantity: orderLine.quantity,
      onFulfillmentOrders: sum('quantity'),
      picked: sum('picked'),
      packed: sum('packed'),
      shipped,
      delivered: sum('delivered'),
      cancelled,
      outcome,
      event,
    };
  });
}

/**
 * Raises the events orderLineProgress finds due on the order's lines, in line order, through
 * raiseOnOrder: the state framework moves each line, and the line that brings every counted line to
 * `completed` (or every line to `cancelled`) raises `Order Fulfilled` (`Order Cancelled`) on the
 * order, which then reaches `completed` (`cancelled`). Event ids are `{eventIdPrefix}:{lineId}`, so
 * a retry with the same prefix raises the same ids. A line whose state does not allow its event
 * throws TransitionNotAllowedError and nothing is returned.
 */
export function raiseOrderProgress(
  order: Order,
  fulfillmentOrders: readonly FulfillmentOrder[],
  config: StateFrameworkConfig,
  now: Date,
  eventIdPrefix: string
): RaiseOutcome {
  const outcome: RaiseOutcome = { order, timeline: [], raised: [] };
  for (const progress of orderLineProgress(order, fulfillmentOrders)) {
    if (progress.event === null) continue;
    const step = raiseOnOrder(
      outcome.order,
      {
        id: `${eventIdPrefix}:${progress.lineId}`,
        name: progress.event,
        entityType: 'orderLine',
        entityId: progress.lineId,
        data: { shipped: progress.shipped, cancelled: progress.cancelled, delivered: progress.delivered },
      },
      config,
      now
    );
    outcome.order = step.order;
    outcome.timeline.push(...step.timeline);
    outcome.raised.push(...step.raised);
  }
  return outcome;
}
