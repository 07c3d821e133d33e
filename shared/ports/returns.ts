import type { OrderReturn } from '../domain/returns/order-return';
import type { Order } from '../domain/orders/order';
import type { TimelineEntry } from '../domain/orders/timeline';

/** A return as read, with the ETag its write must match. */
export interface VersionedReturn {
  orderReturn: OrderReturn;
  etag: string;
}

/** Returns in the `orders` container, in their order's partition, found by id through a lookup. */
export interface ReturnRepository {
  get(returnId: string): Promise<VersionedReturn | undefined>;
  /** The order's returns, oldest first. */
  listByOrder(orderId: string): Promise<OrderReturn[]>;
  /**
   * Stores a new return with its first timeline entries, together with the order (unchanged but for
   * `updatedAt`) if the order still has `orderEtag`: two returns of one order are never checked
   * against the same returned quantities. 'exists' when the return id is taken, 'changed' when the
   * order changed meanwhile; nothing is written then.
   */
  create(
    orderReturn: OrderReturn,
    order: { order: Order; etag: string },
    timeline: TimelineEntry[]
  ): Promise<'created' | 'exists' | 'changed'>;
  /**
   * Replaces the return if it still has `etag` (PreconditionFailedError otherwise) and adds the
   * timeline entries, together; 'duplicate' when an entry id is already there.
   */
  save(orderReturn: OrderReturn, etag: string, timeline: TimelineEntry[]): Promise<'saved' | 'duplicate'>;
}
