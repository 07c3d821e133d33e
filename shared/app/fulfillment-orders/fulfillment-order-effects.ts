import { NotFoundError, PreconditionFailedError } from '../../domain/errors';
import type { RaisedBusinessEvent } from '../../domain/events/business-event';
import { toCloudEvent } from '../../domain/events/cloud-event';
import type {
  FulfillmentOrder,
  IdentifiedFulfillmentOrderEvent,
  PendingEffect,
} from '../../domain/fulfillment-orders/fulfillment-order';
import type { FulfillmentOrderEventRaised } from '../../domain/fulfillment-orders/raised-event';
import { raiseOrderProgress } from '../../domain/fulfillment-orders/order-line-progress';
import { journeyEventSignals, type JourneySignal } from '../../domain/journeys/journey-signal';
import type { Order } from '../../domain/orders/order';
import { raiseOnOrder, type RaiseOutcome } from '../../domain/orders/raise-on-order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { VersionedFulfillmentOrder } from '../../ports/fulfillment-orders';
import { conflictAttempts, type FulfillmentOrderDeps } from './fulfillment-order-deps';

/**
 * An FO change and what it calls for elsewhere are stored together: the change writes the FO with a
 * PendingEffect (an outbox inside the document), then carryOutPendingEffects does the effect —
 * inventory moves, each order's timeline and line progress, CloudEvents, journey signals — and
 * removes it. Every write of an effect has an id derived from the effect's id, so a retry after a
 * crash anywhere in between (which finds the effect still pending) has the effect of once.
 */

/** The FO events raised by one change, given ids `{effectId}:{n}`. */
export function identify(effectId: string, raised: readonly FulfillmentOrderEventRaised[]) {
  return raised.map((event, n): IdentifiedFulfillmentOrderEvent => ({ ...event, id: `${effectId}:${n}` }));
}

/** The orders an effect touches: those of the FO and of its raised events. */
function ordersOf(fo: FulfillmentOrder, effect: PendingEffect): string[] {
  return [
    ...new Set([
      ...fo.orderIds,
      ...effect.raised.flatMap((e) => e.orderIds),
      ...effect.orderLineEvents.map((e) => e.orderId),
    ]),
  ];
}

/**
 * The order after the effect: the FO events on its timeline, the order-line events raised, and (with
 * `progress`) its lines aggregated from `fulfillmentOrders`. Throws what raiseOnOrder and
 * raiseOrderProgress throw (TransitionNotAllowedError).
 */
export function effectOnOrder(
  order: Order,
  effect: PendingEffect,
  fulfillmentOrders: readonly FulfillmentOrder[],
  deps: Pick<FulfillmentOrderDeps, 'config'>,
  now: Date
): RaiseOutcome {
  const outcome: RaiseOutcome = { order, timeline: [], raised: [] };
  for (const event of effect.raised) {
    if (!event.orderIds.includes(order.orderId)) continue;
    outcome.timeline.push(foTimelineEntry(order.orderId, event, effect.at));
    outcome.raised.push({
      id: event.id,
      name: event.name,
      entityType: event.entityType,
      entityId: event.entityId,
      orderId: order.orderId,
      occurredAt: effect.at,
      data: { fulfillmentOrderId: event.fulfillmentOrderId },
    });
  }
  const steps: RaiseOutcome[] = [];
  for (const due of effect.orderLineEvents) {
    if (due.orderId !== order.orderId) continue;
    steps.push(
      raiseOnOrder(
        steps.at(-1)?.order ?? order,
        { id: due.id, name: due.name, entityType: 'orderLine', entityId: due.lineId },
        deps.config,
        now
      )
    );
  }
  if (effect.progress) {
    steps.push(
      raiseOrderProgress(
        steps.at(-1)?.order ?? order,
        fulfillmentOrders,
        deps.config,
        now,
        `${effect.id}:progress`
      )
    );
  }
  for (const step of steps) {
    outcome.order = step.order;
    outcome.timeline.push(...step.timeline);
    outcome.raised.push(...step.raised);
  }
  return outcome;
}

/** The orders an effect was checked against, as read (with their ETags), by order id. */
export interface CheckedOrders {
  effectId: string;
  orders: ReadonlyMap<string, { order: Order; etag: string }>;
}

/**
 * Checks, before the FO change is stored, that the effect's order events are allowed on the orders
 * as they are now: a refusal throws, and nothing was written. Answers the orders as it read them:
 * carrying the effect out starts from them (their ETags tell whether they changed meanwhile).
 */
export async function checkEffectOnOrders(
  deps: FulfillmentOrderDeps,
  fo: FulfillmentOrder,
  effect: PendingEffect
): Promise<CheckedOrders> {
  const orders = new Map<string, { order: Order; etag: string }>();
  if (effect.orderLineEvents.length === 0 && !effect.progress) return { effectId: effect.id, orders };
  for (const orderId of ordersOf(fo, effect)) {
    const current = await deps.orders.getForUpdate(orderId);
    if (!current) throw new NotFoundError(`No order ${orderId}.`, { code: 'order-not-found' });
    orders.set(orderId, { order: structuredClone(current.order), etag: current.etag });
    effectOnOrder(
      current.order,
      effect,
      await fulfillmentOrdersOf(deps, orderId, fo, effect),
      deps,
      deps.clock.now()
    );
  }
  return { effectId: effect.id, orders };
}

/**
 * The order's FOs as stored, with `changed` in place of its stored version; only line progress needs
 * them, so an effect without it queries nothing.
 */
async function fulfillmentOrdersOf(
  deps: FulfillmentOrderDeps,
  orderId: string,
  changed: FulfillmentOrder,
  effect: PendingEffect
): Promise<FulfillmentOrder[]> {
  if (!effect.progress) return [];
  const stored = (await deps.fulfillmentOrders.forOrder(orderId)).map((v) => v.fulfillmentOrder);
  const others = stored.filter((fo) => fo.id !== changed.id);
  return changed.orderIds.includes(orderId) ? [...others, changed] : others;
}

/**
 * Does the FO's pending effects, oldest first, and removes them from the FO. Answers the FO as
 * stored afterwards. `checked`: the orders as the check of one of the effects read them.
 */
export async function carryOutPendingEffects(
  deps: FulfillmentOrderDeps,
  stored: VersionedFulfillmentOrder,
  checked?: CheckedOrders
): Promise<VersionedFulfillmentOrder> {
  const pending = stored.fulfillmentOrder.pendingEffects ?? [];
  if (pending.length === 0) return stored;
  for (const effect of pending) {
    const read = checked?.effectId === effect.id ? checked.orders : undefined;
    await carryOut(deps, stored.fulfillmentOrder, effect, read);
  }
  const done = new Set(pending.map((e) => e.id));
  let current = stored;
  for (let attempt = 1; ; attempt++) {
    const fo = current.fulfillmentOrder;
    const left = (fo.pendingEffects ?? []).filter((e) => !done.has(e.id));
    const { pendingEffects: _p, ...rest } = fo;
    const next: FulfillmentOrder = left.length > 0 ? { ...rest, pendingEffects: left } : rest;
    try {
      return { fulfillmentOrder: next, etag: await deps.fulfillmentOrders.replace(next, current.etag) };
    } catch (err) {
      // Someone else changed the FO meanwhile: their write kept our effects, try again on it.
      if (!(err instanceof PreconditionFailedError) || attempt >= conflictAttempts) throw err;
      const fresh = await deps.fulfillmentOrders.get(fo.id);
      if (!fresh) throw err;
      current = fresh;
    }
  }
}

/** Finishes what an earlier, interrupted change of these FOs left to do. */
export async function finishPending(
  deps: FulfillmentOrderDeps,
  stored: readonly VersionedFulfillmentOrder[]
): Promise<VersionedFulfillmentOrder[]> {
  const done: VersionedFulfillmentOrder[] = [];
  for (const v of stored) done.push(await carryOutPendingEffects(deps, v));
  return done;
}

async function carryOut(
  deps: FulfillmentOrderDeps,
  fo: FulfillmentOrder,
  effect: PendingEffect,
  read: CheckedOrders['orders'] | undefined
): Promise<void> {
  for (const move of effect.inventory) {
    const { kind: _kind, ...rest } = move;
    if (move.kind === 'ship') await deps.inventory.ship(rest);
    else await deps.inventory.release(rest);
  }
  const signals: JourneySignal[] = [];
  for (const orderId of ordersOf(fo, effect)) {
    const raised = await applyOnOrder(deps, orderId, fo, effect, read?.get(orderId));
    if (effect.signalJourneys) {
      const order = raised.order;
      signals.push(
        ...journeyEventSignals(
          order?.journey,
          raised.events.filter((e) => e.entityType === 'order')
        )
      );
    }
  }
  if (effect.signalJourneys) signals.push(...journeyEventSignals(fo.journey, effect.raised));
  if (effect.start) signals.push(effect.start);
  if (signals.length > 0) await deps.signals.send(signals);
}

/** The effect on one order, stored with an ETag (retried on a race) and published. */
async function applyOnOrder(
  deps: FulfillmentOrderDeps,
  orderId: string,
  fo: FulfillmentOrder,
  effect: PendingEffect,
  read: { order: Order; etag: string } | undefined
): Promise<{ order?: Order; events: RaisedBusinessEvent[] }> {
  for (let attempt = 1; ; attempt++) {
    // The check's read, when nobody wrote the order since (else its ETag fails the write: read again).
    const current = (attempt === 1 ? read : undefined) ?? (await deps.orders.getForUpdate(orderId));
    if (!current) throw new NotFoundError(`No order ${orderId}.`, { code: 'order-not-found' });
    const outcome = effectOnOrder(
      current.order,
      effect,
      await fulfillmentOrdersOf(deps, orderId, fo, effect),
      deps,
      deps.clock.now()
    );
    if (outcome.timeline.length === 0) return { order: current.order, events: [] };
    try {
      // 'duplicate': an entry id is there already, so this effect reached the order before.
      if ((await deps.orders.saveWithTimeline(outcome.order, current.etag, outcome.timeline)) === 'duplicate')
        return { order: current.order, events: [] };
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < conflictAttempts) continue;
      throw err;
    }
    await deps.publisher.publish(outcome.raised.map((event) => toCloudEvent(event)));
    return { order: outcome.order, events: outcome.raised };
  }
}

function foTimelineEntry(orderId: string, event: IdentifiedFulfillmentOrderEvent, at: string): TimelineEntry {
  return {
    id: `${orderId}:event:${event.id}`,
    type: 'timeline',
    orderId,
    at,
    kind: 'event',
    name: event.name,
    entityType: event.entityType,
    entityId: event.entityId,
    fromState: event.fromState,
    toState: event.toState,
    ...(event.reason ? { reason: event.reason } : {}),
    detail: `fulfillment order ${event.fulfillmentOrderId}`,
  };
}
