import { NotFoundError, PreconditionFailedError } from '../../domain/errors';
import {
  applyFulfillmentOrderEvent,
  type ApplyFulfillmentOrderEventResult,
  type FulfillmentOrderEvent,
  type OrderLineDraw,
} from '../../domain/fulfillment-orders/apply-fulfillment-order-event';
import type { FulfillmentOrder, PendingEffect } from '../../domain/fulfillment-orders/fulfillment-order';
import { carryOutPendingEffects, checkEffectOnOrders, identify } from './fulfillment-order-effects';
import { conflictAttempts, type FulfillmentOrderDeps } from './fulfillment-order-deps';

export interface StatusEventOutcome {
  fulfillmentOrder: FulfillmentOrder;
  duplicate: boolean;
  result: ApplyFulfillmentOrderEventResult;
}

/**
 * Applies a status event (with an id) to a stored FO: the pure rules decide (a refusal throws and
 * nothing is written); the reservation moves and the order effects are checked against inventory
 * and the orders as they are (a refusal throws and nothing is written); the FO is stored with the
 * effect pending (ETag; a race reruns on fresh reads), then the effect is carried out — reservations
 * consumed or released, the events and line progress on each order, journey signals. The same id
 * again is a duplicate that only finishes an effect left pending.
 */
export async function applyStatusEvent(
  deps: FulfillmentOrderDeps,
  fulfillmentOrderId: string,
  event: FulfillmentOrderEvent & { id: string }
): Promise<StatusEventOutcome> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.fulfillmentOrders.get(fulfillmentOrderId);
    if (!stored) throw fulfillmentOrderNotFound(fulfillmentOrderId);
    const result = applyFulfillmentOrderEvent(stored.fulfillmentOrder, event, deps.config, deps.clock.now());
    if (result.duplicate) {
      const done = await carryOutPendingEffects(deps, stored);
      return { fulfillmentOrder: done.fulfillmentOrder, duplicate: true, result };
    }
    const effectId = `${fulfillmentOrderId}:${event.id}`;
    const effect: PendingEffect = {
      id: effectId,
      at: result.fulfillmentOrder.updatedAt,
      raised: identify(effectId, result.raised),
      orderLineEvents: [],
      progress: true,
      inventory: [
        ...moves(effectId, 'ship', result.shipped),
        ...moves(effectId, 'release', result.cancelled),
      ],
      signalJourneys: true,
    };
    const next: FulfillmentOrder = {
      ...result.fulfillmentOrder,
      pendingEffects: [...(result.fulfillmentOrder.pendingEffects ?? []), effect],
    };
    // Refusals elsewhere come before the write: a reservation that cannot move, an order line
    // that cannot take its event.
    for (const { kind, ...move } of effect.inventory) await deps.inventory.check(kind, move);
    const checked = await checkEffectOnOrders(deps, next, effect);
    let etag: string;
    try {
      etag = await deps.fulfillmentOrders.replace(next, stored.etag);
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < conflictAttempts) continue;
      throw err;
    }
    const done = await carryOutPendingEffects(deps, { fulfillmentOrder: next, etag }, checked);
    return { fulfillmentOrder: done.fulfillmentOrder, duplicate: false, result };
  }
}

function moves(effectId: string, kind: 'ship' | 'release', draws: readonly OrderLineDraw[]) {
  return draws.flatMap((draw) =>
    draw.reservations.map((r) => ({
      kind,
      id: `${effectId}:${draw.foLineId}:${r.reservationId}`,
      reservationId: r.reservationId,
      sku: r.sku,
      quantity: r.quantity,
    }))
  );
}

export function fulfillmentOrderNotFound(id: string): NotFoundError {
  return new NotFoundError(`No fulfillment order ${id}.`, { code: 'fulfillment-order-not-found' });
}
