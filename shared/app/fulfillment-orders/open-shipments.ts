import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import { openShipmentsOf, type OpenShipment } from '../../domain/fulfillment-orders/open-shipments';
import type { FulfillmentOrderRepository } from '../../ports/fulfillment-orders';

/** How far back tracking looks: the newest fulfillment orders, read in pages. */
export const trackedFulfillmentOrders = 1000;
const pageSize = 200;

/**
 * The shipments with these carriers still on their way, among the newest fulfillment orders: what
 * a tracking poller asks its carrier about.
 */
export async function findOpenShipments(
  fulfillmentOrders: FulfillmentOrderRepository,
  carriers: readonly string[]
): Promise<OpenShipment[]> {
  const recent: FulfillmentOrder[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await fulfillmentOrders.find(
      {},
      { maxItemCount: pageSize, ...(continuationToken ? { continuationToken } : {}) }
    );
    recent.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined && recent.length < trackedFulfillmentOrders);
  return openShipmentsOf(recent, carriers);
}
