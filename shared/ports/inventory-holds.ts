import type { HoldState, InventoryHold } from '../domain/inventory/holds/holds';
import type { Page } from './orders';

export interface VersionedHold {
  hold: InventoryHold;
  etag: string;
}

/** Hold records of order lines in the `inventory` container (partition = the line's SKU). */
export interface InventoryHoldStore {
  get(sku: string, id: string): Promise<VersionedHold | undefined>;
  /** ConflictError when a record for the line exists. */
  create(hold: InventoryHold): Promise<VersionedHold>;
  /** PreconditionFailedError when it changed since `etag`. */
  replace(hold: InventoryHold, etag: string): Promise<VersionedHold>;
  /** Every held line, of any SKU or of the SKUs given (what the re-check job works through). */
  held(skus?: readonly string[]): Promise<InventoryHold[]>;
  /** Holds by state and SKU, oldest first, a page at a time. */
  list(
    filter: { state?: HoldState; sku?: string },
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<InventoryHold>>;
}

export interface ReservationRequest {
  /** Makes the reservation idempotent: the same id again gives the same answer. */
  id: string;
  sku: string;
  sourceId: string;
  quantity: number;
}

/** Soft reservations against availableToReserve (the inventory core's reserve / unreserve). */
export interface InventoryReservations {
  /**
   * Reserves, or answers `reserved: false` when the source has too little available. When a
   * reservation with this id exists already (an earlier attempt got that far), it is the answer,
   * whatever source it is at.
   */
  reserve(
    request: ReservationRequest
  ): Promise<{ reserved: true; reservationId: string; sourceId: string } | { reserved: false }>;
  /** Gives back all that remains of the reservation. */
  unreserve(reservationId: string, sku: string): Promise<void>;
}
