import type { FulfillmentOrder } from '../domain/fulfillment-orders/fulfillment-order';
import type { CreationClaim } from '../domain/fulfillment-orders/creation-claim';
import type { MergeSlot } from '../domain/fulfillment-orders/merge-slot';
import type { Page } from './orders';

/** An FO with the ETag a later `replace` must match. */
export interface VersionedFulfillmentOrder {
  fulfillmentOrder: FulfillmentOrder;
  etag: string;
}

/** A merge slot with the ETag a later `replaceMergeSlot` must match. */
export interface VersionedMergeSlot {
  slot: MergeSlot;
  etag: string;
}

export interface FulfillmentOrderFilter {
  orderId?: string;
  sourceId?: string;
  state?: string;
}

/**
 * Fulfillment orders in the `orders` container (docs/fulfillment-orders.md): each in the partition
 * of its first order, with a pointer in each other order's partition.
 */
export interface FulfillmentOrderRepository {
  /** `homeOrderId`: the FO's first order when the caller knows it (one read instead of two). */
  get(id: string, homeOrderId?: string): Promise<VersionedFulfillmentOrder | undefined>;
  /** The FOs carrying lines of the order, oldest first. */
  forOrder(orderId: string): Promise<VersionedFulfillmentOrder[]>;
  /** FOs in `state` of the customer at one of the sources: what new lines may join. */
  findMergeable(filter: {
    customerKey: string;
    sourceIds: readonly string[];
    state: string;
  }): Promise<VersionedFulfillmentOrder[]>;
  /** Newest first. */
  find(
    filter: FulfillmentOrderFilter,
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<FulfillmentOrder>>;
  /** Stores a new FO (ConflictError when the id is taken); answers its ETag. */
  create(fulfillmentOrder: FulfillmentOrder): Promise<string>;
  /** Replaces the FO if it still has `etag` (PreconditionFailedError otherwise); answers the new ETag. */
  replace(fulfillmentOrder: FulfillmentOrder, etag: string): Promise<string>;
  /** The merge slot of a key (`mergeKeyOf`), if one was ever claimed. */
  mergeSlot(key: string): Promise<VersionedMergeSlot | undefined>;
  /** Claims the slot of `slot.key` if nobody ever did: false when it exists already. */
  createMergeSlot(slot: MergeSlot): Promise<boolean>;
  /** Takes the slot over if it still has `etag`: false when someone else wrote it first. */
  replaceMergeSlot(slot: MergeSlot, etag: string): Promise<boolean>;
  /**
   * Claims the creation of a new FO if its key (`creationKeyOf`) was never claimed; answers the FO id
   * the key is claimed for: `claim.foId` when this call wrote the claim, the first claimer's
   * otherwise (whether or not that FO was stored). Claims never change.
   */
  claimCreation(claim: CreationClaim): Promise<string>;
}

/** Units of a soft reservation an FO line moves; `id` makes each move happen once. */
export interface ReservationMove {
  id: string;
  reservationId: string;
  sku: string;
  quantity: number;
}

/** What FO status events do to inventory (docs/inventory.md). */
export interface FulfillmentInventory {
  /** Shipped: onhand and softReserved go down together. */
  ship(move: ReservationMove): Promise<void>;
  /** Cancelled: the reservation releases the units. */
  release(move: ReservationMove): Promise<void>;
  /** Throws what `ship` or `release` would refuse now (unknown reservation, too few units); writes nothing. */
  check(kind: 'ship' | 'release', move: ReservationMove): Promise<void>;
}
