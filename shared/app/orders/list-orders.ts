import type { Order } from '../../domain/orders/order';
import type { Page } from '../../ports/orders';
import type { OrderQueryDeps } from './get-order';

export interface ListOrdersQuery {
  externalId?: string;
  state?: string;
  /** Orders per page, 1–500 (checked by the caller). */
  top: number;
  continuationToken?: string;
}

/** One page of orders, optionally only those with an external id or in one state. */
export async function listOrders(deps: OrderQueryDeps, query: ListOrdersQuery): Promise<Page<Order>> {
  const { externalId, state, top, continuationToken } = query;
  return deps.orders.find(
    { ...(externalId ? { externalId } : {}), ...(state ? { state } : {}) },
    { maxItemCount: top, ...(continuationToken ? { continuationToken } : {}) }
  );
}
