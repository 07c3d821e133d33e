import { NotFoundError, ValidationError } from '../errors';
import type { RaisedBusinessEvent } from '../events/business-event';
import type { EntityType } from '../events/entity-type';
import { aggregateLineEvent } from '../states/aggregate-line-event';
import { applyEvent } from '../states/apply-event';
import type { StateFrameworkConfig } from '../states/state-framework';
import { TransitionNotAllowedError } from '../states/transition-not-allowed-error';
import type { Order } from './order';
import type { TimelineEntry } from './timeline';

export interface EventOnOrder {
  /** The event's id: raising the same id twice has the effect of once. */
  id: string;
  name: string;
  entityType: EntityType;
  /** The order id for `order`, the line id for `orderLine`. */
  entityId: string;
  data?: Readonly<Record<string, unknown>>;
}

export interface RaiseOutcome {
  order: Order;
  timeline: TimelineEntry[];
  raised: RaisedBusinessEvent[];
}

/**
 * Raises a business event on an order or one of its lines (docs/state-framework.md): the state framework decides
 * the state change, every raised event goes on the timeline, and a line event that brings all lines
 * to the same state raises the order-level event too. Returns the new order; the input is unchanged.
 */
export function raiseOnOrder(
  current: Order,
  event: EventOnOrder,
  config: StateFrameworkConfig,
  now: Date
): RaiseOutcome {
  const order: Order = structuredClone(current);
  const at = now.toISOString();
  const outcome: RaiseOutcome = { order, timeline: [], raised: [] };
  const record = (
    id: string,
    name: string,
    entityType: EntityType,
    entityId: string,
    fromState: string,
    toState: string,
    reason: string | null
  ) => {
    outcome.timeline.push({
      id: `${order.orderId}:event:${id}`,
      type: 'timeline',
      orderId: order.orderId,
      at,
      kind: 'event',
      name,
      entityType,
      entityId,
      fromState,
      toState,
      ...(reason ? { reason } : {}),
    });
    outcome.raised.push({
      id,
      name,
      entityType,
      entityId,
      orderId: order.orderId,
      occurredAt: at,
      ...(event.data && id === event.id ? { data: event.data } : {}),
    });
  };

  if (event.entityType === 'order') {
    if (event.entityId !== order.orderId) {
      throw new ValidationError('The event does not name this order.', [
        { path: '/entityId', message: `must be the order id ${order.orderId}` },
      ]);
    }
    const from = order.state;
    const result = applyEvent(config, { entityType: 'order', currentState: from, event: event.name });
    if (result.kind === 'transitioned') setState(order, result.state, result.reason);
    record(event.id, event.name, 'order', order.orderId, from, order.state, order.stateReason ?? null);
    order.updatedAt = at;
    return outcome;
  }

  if (event.entityType !== 'orderLine') {
    throw new NotFoundError(`No ${event.entityType} ${event.entityId} on order ${order.orderId}.`);
  }
  const line = order.lines.find((l) => l.lineId === event.entityId);
  if (!line) throw new NotFoundError(`Order ${order.orderId} has no line ${event.entityId}.`);
  const from = line.state;
  const result = applyEvent(config, { entityType: 'orderLine', currentState: from, event: event.name });
  if (result.kind === 'transitioned') setState(line, result.state, result.reason);
  record(event.id, event.name, 'orderLine', line.lineId, from, line.state, line.stateReason ?? null);
  order.updatedAt = at;

  if (result.kind !== 'transitioned') return outcome;
  const aggregated = aggregateLineEvent(
    order.lines.map((l) => ({ lineId: l.lineId, state: l.state })),
    { entityType: 'orderLine', lineId: line.lineId, name: event.name, previousState: from }
  );
  if (!aggregated) return outcome;
  const headerFrom = order.state;
  try {
    const header = applyEvent(config, {
      entityType: 'order',
      currentState: headerFrom,
      event: aggregated.name,
    });
    if (header.kind === 'transitioned') setState(order, header.state, header.reason);
    record(
      `${event.id}:order`,
      aggregated.name,
      'order',
      order.orderId,
      headerFrom,
      order.state,
      order.stateReason ?? null
    );
  } catch (err) {
    // The line event stands; the order-level event the framework refused is shown, not lost.
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    outcome.timeline.push({
      id: `${order.orderId}:event:${event.id}:order`,
      type: 'timeline',
      orderId: order.orderId,
      at,
      kind: 'error',
      name: aggregated.name,
      entityType: 'order',
      entityId: order.orderId,
      fromState: headerFrom,
      detail: err.message,
    });
  }
  return outcome;
}

function setState(target: { state: string; stateReason?: string }, state: string, reason: string | null) {
  target.state = state;
  if (reason) target.stateReason = reason;
  else delete target.stateReason;
}
