import { createdRange } from '../../domain/orders/created-range';
import type { Order } from '../../domain/orders/order';
import type { Page } from '../../ports/orders';
import type { OrderQueryDeps } from './get-order';

export interface ListOrdersQuery {
  externalId?: string;
  state?: string;
  channel?: string;
  /** Created on or after: a date (UTC day) or an ISO 8601 date-time. */
  createdFrom?: string;
  /** Created on or before: a date (the whole UTC day) or an ISO 8601 date-time. */
  createdTo?: string;
  /** Orders per page, 1–500 (checked by the caller). */
  top: number;
  continuationToken?: string;
}

/** One page of orders, newest first, optionally only those with an external id, state, channel or creation date. */
export async function listOrders(deps: OrderQueryDeps, query: ListOrdersQuery): Promise<Page<Order>> {
  const { externalId, state, channel, top, continuationToken } = query;
  const created = createdRange(query.createdFrom, query.createdTo);
  return deps.orders.find(
    {
      ...(externalId ? { externalId } : {}),
      ...(state ? { state } : {}),
      ...(channel ? { channel } : {}),
      ...(created.from || created.before ? { created } : {}),
    },
    { maxItemCount: top, ...(continuationToken ? { continuationToken } : {}) }
  );
}
