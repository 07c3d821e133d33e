import { NotFoundError, PreconditionFailedError } from '../../domain/errors';
import {
  isOpenLine,
  type FulfillmentOrder,
  type OrderLineEventDue,
  type PendingEffect,
} from '../../domain/fulfillment-orders/fulfillment-order';
import { raiseOnFulfillmentOrder } from '../../domain/fulfillment-orders/raise-on-fulfillment-order';
import { initialStateOf } from '../../domain/states/out-of-box';
import type { VersionedFulfillmentOrder } from '../../ports/fulfillment-orders';
import {
  carryOutPendingEffects,
  checkEffectOnOrders,
  identify,
  finishPending,
} from './fulfillment-order-effects';
import { conflictAttempts, type FulfillmentOrderDeps } from './fulfillment-order-deps';

export interface SendFulfillmentOrdersInput {
  orderId: string;
  /** The calling step's id (kept for the step's own records; sending is once per FO by its own id). */
  eventIdPrefix: string;
}

export interface SendFulfillmentOrdersResult {
  /** FOs this call sent. */
  sent: string[];
  /** FOs sent before (by this order's step or by another order's, for a merged FO). */
  alreadySent: string[];
  /** Present when some FO waits for its batch window: the latest sendAfter; call again then. */
  notBefore?: string;
}

const sentEvent = 'Send Fulfillment Order to Fulfillment Provider has Succeeded';
const lineSentEvent = 'Order Line Sent to Fulfillment';

/**
 * Hands the order's FOs to their sources' fulfillment providers. An FO whose batch window is still
 * open (sendAfter in the future) waits; the others are sent: the built-in `manual` provider — the
 * only one there is — just records it, raising `Send Fulfillment Order to Fulfillment Provider has
 * Succeeded` on the FO and its lines and `Order Line Sent to Fulfillment` on the lines of every order
 * it carries. Sending is once per FO (its effect id is `{foId}:send`), whichever order's step gets
 * there first; a cancelled FO that was never sent is neither.
 */
export async function sendFulfillmentOrders(
  deps: FulfillmentOrderDeps,
  input: SendFulfillmentOrdersInput
): Promise<SendFulfillmentOrdersResult> {
  const result: SendFulfillmentOrdersResult = { sent: [], alreadySent: [] };
  const stored = await finishPending(deps, await deps.fulfillmentOrders.forOrder(input.orderId));
  for (const found of stored) {
    const outcome = await sendOne(deps, found);
    if (outcome.kind === 'sent') result.sent.push(found.fulfillmentOrder.id);
    else if (outcome.kind === 'already-sent') result.alreadySent.push(found.fulfillmentOrder.id);
    else if (
      outcome.kind === 'waiting' &&
      (result.notBefore === undefined || outcome.until > result.notBefore)
    )
      result.notBefore = outcome.until;
  }
  return result;
}

type SendOutcome =
  { kind: 'sent' } | { kind: 'already-sent' } | { kind: 'waiting'; until: string } | { kind: 'not-sent' };

async function sendOne(deps: FulfillmentOrderDeps, found: VersionedFulfillmentOrder): Promise<SendOutcome> {
  let current = found;
  for (let attempt = 1; ; attempt++) {
    const fo = current.fulfillmentOrder;
    if (fo.sentAt !== undefined) return { kind: 'already-sent' };
    if (fo.state !== initialStateOf('fulfillmentOrder')) return { kind: 'not-sent' };
    const now = deps.clock.now();
    if (Date.parse(fo.sendAfter) > now.getTime()) return { kind: 'waiting', until: fo.sendAfter };
    const raised = raiseOnFulfillmentOrder(fo, sentEvent, deps.config, now, { lines: true });
    const effect: PendingEffect = {
      id: `${fo.id}:send`,
      at: now.toISOString(),
      raised: identify(`${fo.id}:send`, raised.raised),
      orderLineEvents: lineSentEvents(fo),
      progress: false,
      inventory: [],
      signalJourneys: false,
    };
    const next: FulfillmentOrder = {
      ...raised.fulfillmentOrder,
      sentAt: effect.at,
      pendingEffects: [...(fo.pendingEffects ?? []), effect],
    };
    // An order line that cannot take `Order Line Sent to Fulfillment` refuses the send before anything is written.
    const checked = await checkEffectOnOrders(deps, next, effect);
    try {
      const etag = await deps.fulfillmentOrders.replace(next, current.etag);
      await carryOutPendingEffects(deps, { fulfillmentOrder: next, etag }, checked);
      return { kind: 'sent' };
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= conflictAttempts) throw err;
      const fresh = await deps.fulfillmentOrders.get(fo.id);
      if (!fresh) throw new NotFoundError(`No fulfillment order ${fo.id}.`);
      current = fresh;
    }
  }
}

function lineSentEvents(fo: FulfillmentOrder): OrderLineEventDue[] {
  return fo.lines.filter(isOpenLine).map((line) => ({
    id: `${fo.id}:send:${line.orderId}:${line.lineId}`,
    orderId: line.orderId,
    lineId: line.lineId,
    name: lineSentEvent,
  }));
}
