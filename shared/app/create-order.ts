import { NotFoundError } from '../domain/errors';
import { newOrder, type Order, type OrderIntake } from '../domain/orders/order';
import type { TimelineEntry } from '../domain/orders/timeline';
import type { Clock } from '../ports/clock';
import { applyEvent } from '../domain/states/apply-event';
import { outOfBoxConfig } from '../domain/states/out-of-box';
import type { StateFrameworkConfig } from '../domain/states/state-framework';
import type { IntakeArchive, IntakeMessage, OrderRepository } from '../ports/orders';
import { orderUsage } from '../domain/meter/order-usage';
import type { OrderLineMeter } from '../ports/meter';

export interface CreateOrderDeps {
  validate: (input: unknown) => OrderIntake;
  archive: IntakeArchive;
  orders: OrderRepository;
  clock: Clock;
  /** Counts the order's lines in its month once the order is stored. */
  meter: OrderLineMeter;
  /** The state framework in force; the out-of-box one when not given. */
  config?: StateFrameworkConfig;
}

/**
 * The intake queue's consumer: turns an archived intake body into an order with its first timeline
 * entry, then counts its lines in the meter. Idempotent: a redelivered message finds the order
 * already there, and counts it only if an earlier delivery stored it but failed before counting
 * (the meter counts each order id once).
 */
export async function createOrder(
  deps: CreateOrderDeps,
  message: IntakeMessage
): Promise<'created' | 'exists'> {
  const raw = await deps.archive.get(message.orderId);
  if (raw === undefined) throw new NotFoundError(`No archived intake body for order ${message.orderId}.`);
  const now = deps.clock.now();
  const order = newOrder(deps.validate(JSON.parse(raw)), message, now);
  const outcome = await deps.orders.createWithTimeline(order, [
    raiseNewOrder(order, deps.config ?? outOfBoxConfig(), now),
  ]);
  // The stored order decides the month: a redelivery may come after the month has turned.
  const stored = outcome === 'created' ? order : await deps.orders.get(order.orderId);
  if (stored) await deps.meter.count(orderUsage(stored));
  return outcome;
}

/** `New Order` moves nothing out of the box (new orders start in `new`), but custom transitions may. */
function raiseNewOrder(order: Order, config: StateFrameworkConfig, now: Date): TimelineEntry {
  const fromState = order.state;
  const outcome = applyEvent(config, {
    entityType: 'order',
    currentState: fromState,
    event: newOrderEvent,
  });
  if (outcome.kind === 'transitioned') {
    order.state = outcome.state;
    if (outcome.reason) order.stateReason = outcome.reason;
  }
  return {
    id: `${order.orderId}:timeline:0`,
    type: 'timeline',
    orderId: order.orderId,
    at: now.toISOString(),
    kind: 'event',
    name: newOrderEvent,
    entityType: 'order',
    entityId: order.orderId,
    fromState,
    toState: order.state,
    ...(order.stateReason ? { reason: order.stateReason } : {}),
  };
}

const newOrderEvent = 'New Order';
