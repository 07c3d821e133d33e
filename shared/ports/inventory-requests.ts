import type { ChangeMode } from '../domain/inventory/inventory-change';
import type { AllocationGroup, Dimensions } from '../domain/inventory/inventory-row';
import type { MeasureDefinitions } from '../domain/inventory/measures/measures';
import type { Clock } from './clock';
import type { InventoryStore } from './inventory';
import type { ProductRepository } from './products';
import type { SourceRepository } from './sources';
import type { Reservation, ReservationRequest } from '../domain/inventory/reservation';

/** One change event of `POST /api/v1/inventory/onhand/bulk`: `quantity` is a delta. */
export interface ChangeEventInput {
  id: string;
  sku: string;
  sourceId: string;
  measure: string;
  quantity: number;
  dimensions?: Dimensions;
}

/** A change as `applyInventoryChanges` takes it: a delta (default) or, with `mode: "set"`, an absolute value. */
export interface InventoryChangeInput extends ChangeEventInput {
  mode?: ChangeMode;
}

/** One entry of `POST /api/v1/inventory/onhand/set`. */
export interface SetEntryInput {
  id?: string;
  sku: string;
  sourceId: string;
  measure: string;
  quantity: number;
  dimensions?: Dimensions;
}

export type InventoryGrouping = 'source' | 'none' | 'row';

export interface InventoryQueryInput {
  skus: string[];
  sourceIds?: string[];
  /** `source` (default): per SKU and source; `none`: per SKU; `row`: per SKU, source and dimensions. */
  groupBy?: InventoryGrouping;
  /** Only rows having these dimensions (and maybe more). */
  dimensions?: Dimensions;
}

export interface ReserveInput {
  id: string;
  sku: string;
  sourceId: string;
  quantity: number;
  dimensions?: Dimensions;
}

export interface UnreserveInput {
  reservationId: string;
  /** The reservation's SKU: a point read instead of a search (ids are unique per SKU). */
  sku?: string;
  /** Absent: release all that remains. */
  quantity?: number;
  /** Makes a partial release safe to repeat. */
  id?: string;
}

export interface AllocateInput {
  id: string;
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  group: AllocationGroup;
  quantity: number;
}

export interface ReallocateInput {
  id: string;
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  from: AllocationGroup;
  to: AllocationGroup;
  quantity: number;
}

export interface ConsumeInput extends AllocateInput {
  /** Consume into a soft reservation whose id is the operation id. */
  reserve?: boolean;
}

export interface AllocationQueryInput {
  skus: string[];
  sourceIds?: string[];
  channel?: string;
}

/** Compiled validators (shared/schemas/inventory.schema.ts); each throws a ValidationError with paths. */
export interface InventoryValidators {
  change: (input: unknown) => InventoryChangeInput;
  changeEvents: (input: unknown) => ChangeEventInput[];
  setEntries: (input: unknown) => SetEntryInput[];
  query: (input: unknown) => InventoryQueryInput;
  reserve: (input: unknown) => ReserveInput;
  unreserve: (input: unknown) => UnreserveInput;
  allocate: (input: unknown) => AllocateInput;
  reallocate: (input: unknown) => ReallocateInput;
  unallocate: (input: unknown) => AllocateInput;
  consume: (input: unknown) => ConsumeInput;
  allocationQuery: (input: unknown) => AllocationQueryInput;
}

/** What every inventory use case gets (built by shared/app/inventory/wiring.ts). */
export interface InventoryDeps {
  validators: InventoryValidators;
  store: InventoryStore;
  sources: SourceRepository;
  products: ProductRepository;
  clock: Clock;
  measures: MeasureDefinitions;
  /** Group commit of reservations per row; one per worker, shared by every call. */
  reservationQueue: ReservationQueue;
}

/** A reservation request ready for the row: validated, dimensions resolved. */
export interface QueuedReservation extends ReservationRequest {
  dimensions: Dimensions;
}

export interface ReservationOutcome {
  reservation: Reservation;
  /** The id had been reserved before (by an earlier call, or by another call in the same group). */
  duplicate: boolean;
}

/** Reservations for one row, group-committed; one per worker, shared by every call. */
export interface ReservationQueue {
  reserve(deps: InventoryDeps, request: QueuedReservation): Promise<ReservationOutcome>;
}
