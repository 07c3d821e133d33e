import { emailAddressMissingCode } from '../../domain/email/outbox-message';
import { isDomainError } from '../../domain/errors';
import { applyEvent } from '../../domain/states/apply-event';
import type { Order } from '../../domain/orders/order';
import type { OrderRepository } from '../../ports/orders';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import { orderNotFound } from '../orders/get-order';
import type { MessageActions, PlannedOrder } from './order-actions';

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
  /** Queues an email in the order's outbox (idempotent by key). */
  queueEmail: MessageActions['queueEmail'];
}

const lineCancelled = 'Order Line Cancelled';
const orderCancelled = 'Order Cancelled';

/**
 * `POST /api/v1/orders/{orderId}/cancel`: where the order's state allows it (409 otherwise, with the
 * state framework's reason), its open fulfillment order lines are cancelled, reservations not yet
 * on a fulfillment order are released, every line not yet shipped or cancelled is cancelled (the
 * last one cancels the order), its journey ends `cancelled` and the customer gets the
 * `order-cancelled` email (when the order has an address). Repeating it changes nothing more.
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
  await queueCancellationEmail(deps, cancelled, prefix);
  return cancelled;
}

async function queueCancellationEmail(deps: CancelOrderDeps, order: Order, prefix: string): Promise<void> {
  const cancelledLines = order.lines.filter((line) => line.state === 'cancelled');
  if (cancelledLines.length === 0) return;
  try {
    await deps.queueEmail({
      key: prefix,
      orderId: order.orderId,
      templateId: 'order-cancelled',
      model: { order, cancelledLines },
    });
  } catch (err) {
    // An order placed without an email (a name or an account is enough) has nobody to write to.
    if (isDomainError(err) && err.code === emailAddressMissingCode) return;
    throw err;
  }
}
