import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import type { FulfillmentOrderRepository } from '../../ports/fulfillment-orders';
import type { Page } from '../../ports/orders';
import { fulfillmentOrderNotFound } from './apply-status-event';

export interface FulfillmentOrderQueryDeps {
  fulfillmentOrders: FulfillmentOrderRepository;
}

/** `GET /api/v1/fulfillment-orders/{foId}`: the FO, or NotFoundError `fulfillment-order-not-found`. */
export async function getFulfillmentOrder(
  deps: FulfillmentOrderQueryDeps,
  id: string
): Promise<FulfillmentOrder> {
  const found = await deps.fulfillmentOrders.get(id);
  if (!found) throw fulfillmentOrderNotFound(id);
  return found.fulfillmentOrder;
}

export interface ListFulfillmentOrdersQuery {
  orderId?: string;
  sourceId?: string;
  state?: string;
  /** FOs per page, 1–500 (checked by the caller). */
  top: number;
  continuationToken?: string;
}

/** `GET /api/v1/fulfillment-orders?orderId=&sourceId=&state=`: one page, newest first. */
export async function listFulfillmentOrders(
  deps: FulfillmentOrderQueryDeps,
  query: ListFulfillmentOrdersQuery
): Promise<Page<FulfillmentOrder>> {
  const { orderId, sourceId, state, top, continuationToken } = query;
  return deps.fulfillmentOrders.find(
    { ...(orderId ? { orderId } : {}), ...(sourceId ? { sourceId } : {}), ...(state ? { state } : {}) },
    { maxItemCount: top, ...(continuationToken ? { continuationToken } : {}) }
  );
}
