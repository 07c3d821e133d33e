import { applyEvent } from '../../domain/states/apply-event';
import type { Order } from '../../domain/orders/order';
import type { OrderRepository } from '../../ports/orders';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import { orderNotFound } from '../orders/get-order';
import type { PlannedOrder } from './order-actions';

export interface CancelOrderDeps {
  orders: OrderRepository;
  config: StateFrameworkConfig;
  /** Cancels the order's open fulfillment order lines, releasing their reservations. */
  cancelFulfillment(orderId: string, eventIdPrefix: string): Promise<void>;
  /** Gives back all that remains of a reservation (a second call gives back nothing). */
  unreserve(reservationId: string, sku: string): Promise<void>;
  /** Raises a business event on an order line (idempotent by id), as `POST /api/v1/events` does. */
  raiseOnLine(orderId: string, lineId: string, name: string, eventId: string): Promise<void>;
  /** Ends the order's journey as cancelled, if it still runs. */
  endJourney(order: Order, reason: string): Promise<void>;
}

const lineCancelled = 'Order Line Cancelled';
const orderCancelled = 'Order Cancelled';

/**
 * `POST /api/v1/orders/{orderId}/cancel`: where the order's state allows it (409 otherwise, with the
 * state framework's reason), its open fulfillment order lines are cancelled, reservations not yet
 * on a fulfillment order are released, every line not yet shipped or cancelled is cancelled (the
 * last one cancels the order) and its journey ends `cancelled`. Repeating it changes nothing more.
 */
export async function cancelOrder(deps: CancelOrderDeps, orderId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (order === undefined) throw orderNotFound(orderId);
  applyEvent(deps.config, { entityType: 'order', currentState: order.state, event: orderCancelled });
  const prefix = `cancel-${orderId}`;
  await deps.cancelFulfillment(orderId, prefix);
  const afterFulfillment = (await deps.orders.get(orderId)) as PlannedOrder;
  for (const line of afterFulfillment.lines) {
    const reservation = afterFulfillment.reservations?.[line.lineId];
    if (reservation !== undefined && line.state !== 'completed') {
      await deps.unreserve(reservation.reservationId, line.sku);
    }
    if (line.state === 'cancelled' || line.state === 'completed') continue;
    await deps.raiseOnLine(orderId, line.lineId, lineCancelled, `${prefix}-${line.lineId}`);
  }
  const cancelled = (await deps.orders.get(orderId))!;
  await deps.endJourney(cancelled, 'cancelled by a user');
  return cancelled;
}
