import type { SupplyOrder, SupplyOrderKind, SupplyOrderState } from '../domain/purchasing/supply-order';
import type { Page } from './orders';

export interface VersionedSupplyOrder {
  order: SupplyOrder;
  etag: string;
}

export interface SupplyOrderFilter {
  state?: SupplyOrderState;
  /** A purchase order's receiving source; either source of a transfer. */
  sourceId?: string;
}

/** Purchase and transfer orders, each in a partition of its own. */
export interface SupplyOrderRepository {
  get(kind: SupplyOrderKind, id: string): Promise<VersionedSupplyOrder | undefined>;
  /** ConflictError when the id exists. */
  create(order: SupplyOrder): Promise<VersionedSupplyOrder>;
  /** PreconditionFailedError when it changed since `etag`. */
  replace(order: SupplyOrder, etag: string): Promise<VersionedSupplyOrder>;
  /** Oldest first, a page at a time. */
  list(
    kind: SupplyOrderKind,
    filter: SupplyOrderFilter,
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<SupplyOrder>>;
}
