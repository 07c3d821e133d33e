import { ConflictError } from '../errors';
import { groupLabel, groupOf, rowLabel, type AllocationGroup, type InventoryRow } from './inventory-row';

/**
 * The refusals of inventory rules. All are 409 problems whose `type` ends in the code, with the facts
 * a client needs (what was asked, what there is) as extension members.
 */

function rowFacts(row: InventoryRow) {
  return {
    sku: row.sku,
    sourceId: row.sourceId,
    ...(row.dimensionsKey === '' ? {} : { dimensions: { ...row.dimensions } }),
  };
}

/** More was asked of a calculated measure (availableToReserve, availableToAllocate) than it holds. */
export function insufficientInventory(
  row: InventoryRow,
  measure: string,
  requested: number,
  available: number
): ConflictError {
  return new ConflictError(
    `${rowLabel(row)} has ${Math.max(0, available)} ${measure}; ${requested} was asked.`,
    {
      code: 'insufficient-inventory',
      extensions: { ...rowFacts(row), measure, requested, available: Math.max(0, available) },
    }
  );
}

/** More was asked of an allocation group than it holds. */
export function insufficientAllocation(
  row: InventoryRow,
  group: AllocationGroup,
  requested: number,
  held: number
): ConflictError {
  return new ConflictError(
    `Allocation group ${groupLabel(group)} holds ${held} of ${rowLabel(row)}; ${requested} was asked.`,
    {
      code: 'insufficient-allocation',
      extensions: { ...rowFacts(row), group: groupOf(group), requested, allocated: held },
    }
  );
}

/** A change would leave a measure below zero. */
export function negativeMeasure(
  row: InventoryRow,
  measure: string,
  current: number,
  change: number
): ConflictError {
  return new ConflictError(
    `${rowLabel(row)}: ${measure} is ${current}; a change of ${change} would make it negative.`,
    { code: 'negative-measure', extensions: { ...rowFacts(row), measure, current, change } }
  );
}

/** An unreserve of more than the reservation still holds. */
export function exceedsReservation(
  reservationId: string,
  requested: number,
  remaining: number
): ConflictError {
  return new ConflictError(
    `Reservation ${reservationId} holds ${remaining}; ${requested} cannot be released.`,
    { code: 'exceeds-reservation', extensions: { reservationId, requested, remaining } }
  );
}

/** An idempotency id sent again with a different request. */
export function idReused(what: string, id: string): ConflictError {
  return new ConflictError(`${what} ${id} was already used for a different request.`, {
    code: 'id-reused',
    extensions: { id },
  });
}
