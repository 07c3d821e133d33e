import { exceedsReservation, insufficientInventory, negativeMeasure } from './inventory-errors';
import { groupOf, type AllocationGroup, type Dimensions, type InventoryRow } from './inventory-row';
import {
  calculateMeasure,
  onhandMeasure,
  reserveCheckMeasure,
  type MeasureDefinitions,
} from './measures/measures';
import { refused, succeeded, type OperationResult } from './operation-result';
import { addQuantities, subtractQuantities } from './quantity';

/** What a row's rules need besides the row: the measure formulas and the source's safety stock. */
export interface RowContext {
  definitions: MeasureDefinitions;
  safetyStock: number;
}

/** A soft reservation (docs/inventory.md): quantity held at one row until it is released. */
export interface Reservation {
  /** The caller's id: a repeat with it answers the same reservation. Unique within the SKU. */
  reservationId: string;
  sku: string;
  sourceId: string;
  dimensions: Dimensions;
  dimensionsKey: string;
  /** What was reserved. */
  quantity: number;
  /** What is still held (quantity less releases); the row's softReserved is the sum of these. */
  remaining: number;
  /** Set when the reservation came from consuming an allocation group. */
  allocationGroup?: AllocationGroup;
  /** Partial releases that carried an id, so that repeating one does not release twice. */
  releases: { id: string; quantity: number }[];
  createdAt: string;
  updatedAt: string;
}

/** What a client asks to reserve. */
export interface ReservationRequest {
  id: string;
  sku: string;
  sourceId: string;
  dimensionsKey: string;
  quantity: number;
}

/** How much the check measure (availableToReserve) of the row allows. */
export function availableToReserve(row: InventoryRow, context: RowContext): number {
  const formula = context.definitions.calculated[reserveCheckMeasure];
  return formula === undefined ? 0 : calculateMeasure(formula, row.measures, context.safetyStock);
}

/**
 * Holds `quantity` of the row: refused with `insufficient-inventory` when availableToReserve is
 * smaller. The check measure subtracts softReserved (validateMeasureDefinitions), so after any
 * accepted reservation it is still ≥ 0.
 */
export function reserve(
  row: InventoryRow,
  quantity: number,
  context: RowContext
): OperationResult<InventoryRow> {
  const available = availableToReserve(row, context);
  if (quantity > available)
    return refused(insufficientInventory(row, reserveCheckMeasure, quantity, available));
  return succeeded(withSoftReserved(row, quantity));
}

/** The row with softReserved changed by `delta`. */
export function withSoftReserved(row: InventoryRow, delta: number): InventoryRow {
  return {
    ...row,
    measures: { ...row.measures, softReserved: addQuantities(row.measures.softReserved ?? 0, delta) },
  };
}

export function newReservation(
  request: ReservationRequest,
  row: InventoryRow,
  now: Date,
  allocationGroup?: AllocationGroup
): Reservation {
  const at = now.toISOString();
  return {
    reservationId: request.id,
    sku: row.sku,
    sourceId: row.sourceId,
    dimensions: { ...row.dimensions },
    dimensionsKey: row.dimensionsKey,
    quantity: request.quantity,
    remaining: request.quantity,
    ...(allocationGroup === undefined ? {} : { allocationGroup: groupOf(allocationGroup) }),
    releases: [],
    createdAt: at,
    updatedAt: at,
  };
}

/** Whether a stored reservation is what `request` asks for (a true repeat, not a reused id). */
export function isSameReservation(reservation: Reservation, request: ReservationRequest): boolean {
  return (
    reservation.sku === request.sku &&
    reservation.sourceId === request.sourceId &&
    reservation.dimensionsKey === request.dimensionsKey &&
    reservation.quantity === request.quantity
  );
}

export interface UnreserveRequest {
  /** What to release; absent: all that remains. */
  quantity?: number;
  /** Makes a partial release safe to repeat. */
  releaseId?: string;
}

export interface Unreserved {
  row: InventoryRow;
  reservation: Reservation;
  released: number;
  /** The release id had been applied before: nothing changed. */
  repeated: boolean;
}

/**
 * Releases part or all of a reservation. Releasing everything that remains is idempotent by nature
 * (a second whole release releases 0); a partial release is made repeatable by its id. Asking for
 * more than remains is refused, so softReserved never goes below zero.
 */
export function unreserve(
  row: InventoryRow,
  reservation: Reservation,
  request: UnreserveRequest,
  now: Date
): OperationResult<Unreserved> {
  const earlier =
    request.releaseId === undefined
      ? undefined
      : reservation.releases.find((r) => r.id === request.releaseId);
  if (earlier !== undefined)
    return succeeded({ row, reservation, released: earlier.quantity, repeated: true });
  const quantity = request.quantity ?? reservation.remaining;
  if (quantity > reservation.remaining) {
    return refused(exceedsReservation(reservation.reservationId, quantity, reservation.remaining));
  }
  const held = row.measures.softReserved ?? 0;
  // softReserved is the sum of the remaining quantities; a row holding less means the documents
  // disagree, and releasing would hide that behind a clamp.
  if (quantity > held) return refused(exceedsReservation(reservation.reservationId, quantity, held));
  const releases =
    request.releaseId === undefined
      ? reservation.releases
      : [...reservation.releases, { id: request.releaseId, quantity }];
  return succeeded({
    row: withSoftReserved(row, -quantity),
    reservation: {
      ...reservation,
      remaining: subtractQuantities(reservation.remaining, quantity),
      releases,
      updatedAt: now.toISOString(),
    },
    released: quantity,
    repeated: false,
  });
}

export interface ShipFromReservationRequest {
  /** Makes the shipment safe to repeat: kept among the reservation's releases. */
  id: string;
  quantity: number;
}

/**
 * Units of a reservation leave the building: the reservation releases them (so softReserved falls)
 * and onhand falls by the same quantity, in one row change — available measures do not move, since
 * the units were already promised. Repeating the id changes nothing. Refused with
 * `exceeds-reservation` beyond what remains, or `negative-measure` when onhand holds fewer units.
 */
export function shipFromReservation(
  row: InventoryRow,
  reservation: Reservation,
  request: ShipFromReservationRequest,
  now: Date
): OperationResult<Unreserved> {
  const released = unreserve(row, reservation, { quantity: request.quantity, releaseId: request.id }, now);
  if (!released.ok || released.value.repeated) return released;
  const onhand = row.measures[onhandMeasure] ?? 0;
  if (request.quantity > onhand)
    return refused(negativeMeasure(row, onhandMeasure, onhand, -request.quantity));
  const shipped = released.value.row;
  return succeeded({
    ...released.value,
    row: {
      ...shipped,
      measures: { ...shipped.measures, [onhandMeasure]: subtractQuantities(onhand, request.quantity) },
    },
  });
}
