import type { TimelineEntry } from '../../domain/orders/timeline';
import { orderNotFound, type OrderQueryDeps } from './get-order';

/** The order's timeline, oldest first, or NotFoundError `order-not-found` when there is no such order. */
export async function orderTimeline(deps: OrderQueryDeps, orderId: string): Promise<TimelineEntry[]> {
  if (!(await deps.orders.get(orderId))) throw orderNotFound(orderId);
  return deps.orders.timeline(orderId);
}
