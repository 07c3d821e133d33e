import { PreconditionFailedError } from '../../domain/errors';
import type { FulfillmentOrder, PendingEffect } from '../../domain/fulfillment-orders/fulfillment-order';
import { raiseOnFulfillmentOrder } from '../../domain/fulfillment-orders/raise-on-fulfillment-order';
import { fulfillmentOrderNotFound } from './apply-status-event';
import { carryOutPendingEffects, identify } from './fulfillment-order-effects';
import { conflictAttempts, type FulfillmentOrderDeps } from './fulfillment-order-deps';

export interface RaiseFulfillmentOrderEventInput {
  fulfillmentOrderId: string;
  /** A business event name of the catalogue for fulfillment orders. */
  name: string;
  /** Raising the same id again changes nothing. */
  eventId: string;
}

export interface RaiseFulfillmentOrderEventResult {
  fromState: string;
  toState: string;
  duplicate: boolean;
}

/**
 * A journey step's output event on its FO: the state framework moves the FO header (an event without
 * transitions for fulfillment orders leaves the state and is still on the timelines; a refused one
 * throws TransitionNotAllowedError and nothing is written), the event goes on the timeline of each
 * order of the FO and out as a CloudEvent. No journey signal: the journey raised it itself.
 */
export async function raiseFulfillmentOrderEvent(
  deps: FulfillmentOrderDeps,
  input: RaiseFulfillmentOrderEventInput
): Promise<RaiseFulfillmentOrderEventResult> {
  const appliedId = `raised:${input.eventId}`;
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.fulfillmentOrders.get(input.fulfillmentOrderId);
    if (!stored) throw fulfillmentOrderNotFound(input.fulfillmentOrderId);
    const fo = stored.fulfillmentOrder;
    if (fo.appliedEventIds.includes(appliedId)) {
      const done = await carryOutPendingEffects(deps, stored);
      const state = done.fulfillmentOrder.state;
      return { fromState: state, toState: state, duplicate: true };
    }
    const now = deps.clock.now();
    const raised = raiseOnFulfillmentOrder(fo, input.name, deps.config, now);
    const effectId = `${fo.id}:${input.eventId}`;
    const effect: PendingEffect = {
      id: effectId,
      at: now.toISOString(),
      raised: identify(effectId, raised.raised),
      orderLineEvents: [],
      progress: false,
      inventory: [],
      signalJourneys: false,
    };
    const next: FulfillmentOrder = {
      ...raised.fulfillmentOrder,
      appliedEventIds: [...fo.appliedEventIds, appliedId],
      pendingEffects: [...(fo.pendingEffects ?? []), effect],
    };
    try {
      const etag = await deps.fulfillmentOrders.replace(next, stored.etag);
      await carryOutPendingEffects(deps, { fulfillmentOrder: next, etag });
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < conflictAttempts) continue;
      throw err;
    }
    return { fromState: raised.fromState, toState: raised.toState, duplicate: false };
  }
}
