import { ConflictError, NotFoundError } from '../../domain/errors';
import {
  JOURNEY_EXTERNAL_EVENTS,
  type JourneyControlInput,
  type JourneyStatusView,
} from '../../domain/journeys/journey-runtime';
import type { Order } from '../../domain/orders/order';
import type { JourneyInstances } from '../../ports/journey-instances';
import type { FulfillmentOrderRepository } from '../../ports/fulfillment-orders';
import type { OrderRepository } from '../../ports/orders';
import { getOrder, orderNotFound, type OrderQueryDeps } from '../orders/get-order';
import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';

export interface OrderJourneyDeps {
  orders: OrderRepository;
  instances: JourneyInstances;
  fulfillmentOrders: Pick<FulfillmentOrderRepository, 'forOrder'>;
}

/**
 * The journey of an order as `GET /api/v1/orders/{id}` shows it: the orchestrator's view, `paused`
 * while Durable holds the instance suspended; null when the order runs no journey. An instance whose
 * start is still queued shows as running with no step yet.
 */
export async function orderJourneyView(
  instances: JourneyInstances,
  order: Pick<Order, 'journey'>
): Promise<JourneyStatusView | null> {
  const ref = order.journey;
  if (ref === undefined) return null;
  const status = await instances.status(ref.instanceId);
  const view = status?.view ?? {
    id: ref.journeyId,
    version: ref.version,
    status: 'running' as const,
    step: null,
  };
  if (status?.runtimeStatus === 'Suspended') return { ...view, status: 'paused' };
  if (status?.runtimeStatus === 'Failed' || status?.runtimeStatus === 'Terminated') {
    return { ...view, status: 'failed' };
  }
  return view;
}

/** `GET /api/v1/orders/{orderId}`: the order, the fulfillment orders carrying its lines, its journey. */
export async function orderDetails(
  deps: OrderQueryDeps & { instances: JourneyInstances },
  orderId: string
): Promise<{ order: Order; fulfillmentOrders: FulfillmentOrder[]; journey: JourneyStatusView | null }> {
  const { order, fulfillmentOrders } = await getOrder(deps, orderId);
  return { order, fulfillmentOrders, journey: await orderJourneyView(deps.instances, order) };
}

/** What an operation on an order's journey answers: the order id and the journey as it was asked. */
export interface JourneyOperationAnswer {
  orderId: string;
  journey: JourneyStatusView;
  /** Reprocess: the fulfillment orders whose failed journeys were resumed. */
  fulfillmentOrderIds?: string[];
}

/**
 * `POST /api/v1/orders/{id}/reprocess`: resumes a failed journey at its resume point: the order's
 * own, else those of its fulfillment orders that failed (a refused label or invoice); 409 when
 * nothing failed.
 */
export async function reprocessOrder(
  deps: OrderJourneyDeps,
  orderId: string
): Promise<JourneyOperationAnswer> {
  const { order, journey } = await current(deps, orderId);
  if (journey.status === 'failed') {
    await control(deps, order, { type: 'reprocess' });
    return { orderId, journey };
  }
  const failed: FulfillmentOrder[] = [];
  for (const { fulfillmentOrder } of await deps.fulfillmentOrders.forOrder(orderId)) {
    const view = await orderJourneyView(deps.instances, fulfillmentOrder);
    if (view?.status === 'failed') failed.push(fulfillmentOrder);
  }
  if (failed.length === 0) {
    throw new ConflictError(
      `The journey of order ${orderId} is ${journey.status} and none of its fulfillment orders' failed; only a failed journey is reprocessed.`,
      { code: 'journey-not-failed' }
    );
  }
  for (const fo of failed) {
    await deps.instances.raise(fo.journey!.instanceId, JOURNEY_EXTERNAL_EVENTS.control, {
      type: 'reprocess',
    });
  }
  return { orderId, journey, fulfillmentOrderIds: failed.map((fo) => fo.id) };
}

/** `POST /api/v1/orders/{id}/pause`: suspends a running or waiting journey (409 otherwise). */
export async function pauseOrder(deps: OrderJourneyDeps, orderId: string): Promise<JourneyOperationAnswer> {
  const { order, journey } = await current(deps, orderId);
  if (journey.status !== 'running' && journey.status !== 'waiting' && journey.status !== 'failed') {
    throw new ConflictError(`The journey of order ${orderId} is ${journey.status}; it cannot be paused.`, {
      code: 'journey-not-active',
    });
  }
  await deps.instances.suspend(order.journey!.instanceId, 'paused by a user');
  return { orderId, journey: { ...journey, status: 'paused' } };
}

/** `POST /api/v1/orders/{id}/resume`: resumes a paused journey (409 otherwise). */
export async function resumeOrder(deps: OrderJourneyDeps, orderId: string): Promise<JourneyOperationAnswer> {
  const { order, journey } = await current(deps, orderId);
  if (journey.status !== 'paused') {
    throw new ConflictError(`The journey of order ${orderId} is ${journey.status}, not paused.`, {
      code: 'journey-not-paused',
    });
  }
  await deps.instances.resume(order.journey!.instanceId, 'resumed by a user');
  return { orderId, journey };
}

/** Ends the order's journey as cancelled, if it still runs (the cancellation itself is done). */
export async function cancelOrderJourney(
  deps: Pick<OrderJourneyDeps, 'instances'>,
  order: Order,
  reason: string
): Promise<void> {
  const journey = await orderJourneyView(deps.instances, order);
  if (journey === null || journey.status === 'completed' || journey.status === 'cancelled') return;
  if (journey.status === 'paused') await deps.instances.resume(order.journey!.instanceId, 'cancelled');
  await control(deps, order, { type: 'cancel', reason });
}

async function current(
  deps: OrderJourneyDeps,
  orderId: string
): Promise<{ order: Order; journey: JourneyStatusView }> {
  const order = await deps.orders.get(orderId);
  if (order === undefined) throw orderNotFound(orderId);
  const journey = await orderJourneyView(deps.instances, order);
  if (journey === null) {
    throw new NotFoundError(`Order ${orderId} runs no journey (none was published when it was created).`, {
      code: 'journey-not-found',
    });
  }
  return { order, journey };
}

async function control(
  deps: Pick<OrderJourneyDeps, 'instances'>,
  order: Order,
  input: JourneyControlInput
): Promise<void> {
  await deps.instances.raise(order.journey!.instanceId, JOURNEY_EXTERNAL_EVENTS.control, input);
}
