import { NotFoundError } from '../../domain/errors';
import type { Order } from '../../domain/orders/order';
import type { OrderRepository } from '../../ports/orders';

export interface OrderQueryDeps {
  orders: OrderRepository;
}

/** The order, or NotFoundError `order-not-found` (404). */
export async function getOrder(deps: OrderQueryDeps, orderId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  return order;
}

export function orderNotFound(orderId: string): NotFoundError {
  return new NotFoundError(`No order ${orderId}.`, { code: 'order-not-found' });
}
