import { NotFoundError } from '../../domain/errors';
import type { OrderReturn } from '../../domain/returns/order-return';
import { openReturn } from './create-return';
import { applyReturnEvent } from './record-return-event';
import type { ReturnDeps } from './return-deps';

/**
 * A refund or return a provider reports on one of its orders (a Shopify `refunds/create` webhook,
 * transformed to ProviderReturnOutput): the order is the one the instance sent with that external
 * id; the return (one per provider refund id) is opened without emailing the customer and, when the
 * provider refunded already, received, inspected with the provider's dispositions and refunded at
 * once — the credit note at our prices and tax (lineTaxShare), restocked lines back on hand at the
 * return location. NotFoundError when the order is not ours; ValidationError (paths into the
 * output's lines) when a line was not shipped or is returned already.
 */
export async function recordProviderReturn(
  deps: ReturnDeps,
  instanceId: string,
  output: unknown
): Promise<{ orderReturn: OrderReturn; duplicate: boolean } | undefined> {
  const request = deps.validators.providerReturn(output);
  // A refund of no units (shipping, a goodwill amount) returns nothing.
  if (request.lines.length === 0) return undefined;
  const page = await deps.orders.find({ externalId: request.orderExternalId }, { maxItemCount: 20 });
  const order = page.items.find((candidate) => candidate.channel === instanceId);
  if (order === undefined) {
    throw new NotFoundError(`No order ${request.orderExternalId} from provider instance ${instanceId}.`, {
      code: 'order-not-found',
    });
  }
  const opened = await openReturn(deps, {
    orderId: order.orderId,
    lines: request.lines.map(({ lineId, quantity, reason }) => ({
      lineId,
      quantity,
      reason: reason ?? `refunded by ${instanceId}`,
    })),
    origin: instanceId,
    key: `provider:${instanceId}:${request.externalId}`,
    externalId: request.externalId,
    notify: false,
  });
  if (!request.refunded) return opened;
  const returnId = opened.orderReturn.id;
  await applyReturnEvent(deps, returnId, { id: `${returnId}-received`, type: 'received' });
  const inspected = await applyReturnEvent(deps, returnId, {
    id: `${returnId}-inspected`,
    type: 'inspected',
    lines: request.lines.map(({ lineId, disposition }) => ({ lineId, disposition })),
  });
  return { orderReturn: inspected.orderReturn, duplicate: opened.duplicate };
}
