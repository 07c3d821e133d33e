import { PreconditionFailedError } from '../../domain/errors';
import { withExternalReference, type ExternalReference } from '../../domain/orders/order';
import { fulfillmentOrderNotFound } from './apply-status-event';
import { conflictAttempts, type FulfillmentOrderDeps } from './fulfillment-order-deps';

/**
 * Keeps an id the FO has in another system (a provider action's answer), replacing the one of the
 * same system. Changes no state; an ETag race reads the FO again.
 */
export async function addFulfillmentOrderReference(
  deps: Pick<FulfillmentOrderDeps, 'fulfillmentOrders' | 'clock'>,
  fulfillmentOrderId: string,
  reference: ExternalReference
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.fulfillmentOrders.get(fulfillmentOrderId);
    if (!stored) throw fulfillmentOrderNotFound(fulfillmentOrderId);
    const fo = stored.fulfillmentOrder;
    if (fo.externalReferences?.some((r) => r.system === reference.system && r.id === reference.id)) return;
    try {
      await deps.fulfillmentOrders.replace(
        {
          ...fo,
          externalReferences: withExternalReference(fo.externalReferences, reference),
          updatedAt: deps.clock.now().toISOString(),
        },
        stored.etag
      );
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= conflictAttempts) throw err;
    }
  }
}
