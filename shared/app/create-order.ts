import { NotFoundError } from '../domain/errors';
import { newOrder, type Order, type OrderIntake } from '../domain/orders/order';
import type { TimelineEntry } from '../domain/orders/timeline';
import type { Clock } from '../ports/clock';
import type { IntakeArchive, IntakeMessage, OrderRepository } from '../ports/orders';

export interface CreateOrderDeps {
  validate: (input: unknown) => OrderIntake;
  archive: IntakeArchive;
  orders: OrderRepository;
  clock: Clock;
}

/**
 * The intake queue's consumer: turns an archived intake body into an order with its first timeline
 * entry. Idempotent: a redelivered message finds the order already there.
 */
export async function createOrder(
  deps: CreateOrderDeps,
  message: IntakeMessage
): Promise<'created' | 'exists'> {
  const raw = await deps.archive.get(message.orderId);
  if (raw === undefined) throw new NotFoundError(`No archived intake body for order ${message.orderId}.`);
  const now = deps.clock.now();
  const order = newOrder(deps.validate(JSON.parse(raw)), message, now);
  return deps.orders.createWithTimeline(order, [createdEntry(order, now)]);
}

function createdEntry(order: Order, now: Date): TimelineEntry {
  return {
    id: `${order.orderId}:timeline:0`,
    type: 'timeline',
    orderId: order.orderId,
    at: now.toISOString(),
    kind: 'event',
    name: 'New Order',
    entityType: 'order',
    entityId: order.orderId,
    toState: order.state,
  };
}
