import { NotFoundError } from '../../domain/errors';
import { isOpenLine } from '../../domain/fulfillment-orders/fulfillment-order';
import { applyStatusEvent } from './apply-status-event';
import { finishPending } from './fulfillment-order-effects';
import type { FulfillmentOrderDeps } from './fulfillment-order-deps';

export interface CancelOrderFulfillmentInput {
  orderId: string;
  /** The calling step's id: the cancel event on each FO is `{eventIdPrefix}:cancel:{orderId}`. */
  eventIdPrefix: string;
}

export interface CancelOrderFulfillmentResult {
  /** What this call cancelled (a retry after a complete run cancels, and reports, nothing). */
  cancelled: { fulfillmentOrderId: string; lineId: string; quantity: number }[];
}

/**
 * Cancels what is still open of the order's FO lines — not other orders' lines of a merged FO, and
 * not what already shipped — releasing their reservations, with the events, order progress and
 * journey signals of a `cancelled` status event. FOs whose state allows no cancel (completed) have
 * no open lines.
 */
export async function cancelOrderFulfillment(
  deps: FulfillmentOrderDeps,
  input: CancelOrderFulfillmentInput
): Promise<CancelOrderFulfillmentResult> {
  if (!(await deps.orders.get(input.orderId)))
    throw new NotFoundError(`No order ${input.orderId}.`, { code: 'order-not-found' });
  const result: CancelOrderFulfillmentResult = { cancelled: [] };
  for (const { fulfillmentOrder: fo } of await finishPending(
    deps,
    await deps.fulfillmentOrders.forOrder(input.orderId)
  )) {
    const open = fo.lines.filter((l) => l.orderId === input.orderId && isOpenLine(l));
    if (open.length === 0) continue;
    const outcome = await applyStatusEvent(deps, fo.id, {
      id: `${input.eventIdPrefix}:cancel:${input.orderId}`,
      type: 'cancelled',
      lines: open.map((l) => ({ lineId: l.lineId, orderId: l.orderId })),
    });
    for (const c of outcome.result.cancelled)
      result.cancelled.push({ fulfillmentOrderId: fo.id, lineId: c.lineId, quantity: c.quantity });
  }
  return result;
}
