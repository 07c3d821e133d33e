import { NotFoundError } from '../../domain/errors';
import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../domain/orders/order';
import type { FulfillmentOrderRepository } from '../../ports/fulfillment-orders';
import type { OrderRepository } from '../../ports/orders';

export interface OrderQueryDeps {
  orders: OrderRepository;
  fulfillmentOrders: FulfillmentOrderRepository;
}

/** The order with the FOs carrying its lines, or NotFoundError `order-not-found` (404). */
export async function getOrder(
  deps: OrderQueryDeps,
  orderId: string
): Promise<{ order: Order; fulfillmentOrders: FulfillmentOrder[] }> {
  const [order, fulfillmentOrders] = await Promise.all([
    deps.orders.get(orderId),
    deps.fulfillmentOrders.forOrder(orderId),
  ]);
  if (!order) throw orderNotFound(orderId);
  return { order, fulfillmentOrders: fulfillmentOrders.map((v) => v.fulfillmentOrder) };
}

export function orderNotFound(orderId: string): NotFoundError {
  return new NotFoundError(`No order ${orderId}.`, { code: 'order-not-found' });
}
