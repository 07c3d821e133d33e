import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import { shipFromReservation as ship, unreserve } from '../../domain/inventory/reservation';
import type { InventoryDeps } from '../../ports/inventory-requests';
import { updateInventoryRow } from './inventory-row-update';

export interface ShipFromReservationInput {
  /** The shipment's id: the same id again changes nothing. */
  id: string;
  reservationId: string;
  sku: string;
  quantity: number;
}

export interface ShipFromReservationResult {
  reservationId: string;
  sku: string;
  sourceId: string;
  shipped: number;
  /** What the reservation still holds. */
  remaining: number;
  /** The id had been applied before: nothing changed. */
  duplicate: boolean;
}

/**
 * Shipped units of a soft reservation (docs/inventory.md "Shipping from a reservation"): onhand and
 * softReserved go down together, with the reservation, in one ETag-checked batch of the SKU's
 * partition; idempotent by `id`. Throws ValidationError, NotFoundError `unknown-reservation`,
 * ConflictError `exceeds-reservation` or `negative-measure`.
 */
export async function shipFromReservation(
  deps: InventoryDeps,
  input: ShipFromReservationInput
): Promise<ShipFromReservationResult> {
  const issues: ValidationIssue[] = [];
  for (const key of ['id', 'reservationId', 'sku'] as const) {
    if (typeof input[key] !== 'string' || input[key] === '')
      issues.push({ path: `/${key}`, message: 'must be a non-empty string' });
  }
  if (!(typeof input.quantity === 'number' && input.quantity > 0))
    issues.push({ path: '/quantity', message: 'must be a number > 0' });
  if (issues.length > 0) throw new ValidationError('The shipment is not valid.', issues);
  const found = await deps.store.getReservation(input.sku, input.reservationId);
  if (found === undefined) throw notFound(input);
  const { sku, sourceId, dimensionsKey } = found.reservation;
  return updateInventoryRow(deps.store, { sku, sourceId, dimensionsKey }, async (stored) => {
    const current = await deps.store.getReservation(sku, input.reservationId);
    if (current === undefined || stored === undefined) throw notFound(input);
    const outcome = ship(
      stored.row,
      current.reservation,
      { id: input.id, quantity: input.quantity },
      deps.clock.now()
    );
    if (!outcome.ok) throw outcome.error;
    const { row, reservation, released, repeated } = outcome.value;
    const result = {
      reservationId: input.reservationId,
      sku,
      sourceId,
      shipped: released,
      remaining: reservation.remaining,
      duplicate: repeated,
    };
    if (repeated) return { result };
    return {
      row,
      writes: [{ kind: 'replace-reservation', reservation, etag: current.etag }],
      result,
    };
  });
}

function notFound(input: ShipFromReservationInput): NotFoundError {
  return new NotFoundError(`No reservation has id "${input.reservationId}" for SKU "${input.sku}".`, {
    code: 'unknown-reservation',
    extensions: { reservationId: input.reservationId },
  });
}

/**
 * Whether shipping (`ship`) or releasing (`release`) these units of a reservation would be accepted
 * now: the same rules run on the stored row and reservation, and nothing is written. Throws what the
 * operation would throw; a repeated id passes. For callers that must refuse before writing elsewhere.
 */
export async function checkReservationMove(
  deps: InventoryDeps,
  kind: 'ship' | 'release',
  input: ShipFromReservationInput
): Promise<void> {
  const found = await deps.store.getReservation(input.sku, input.reservationId);
  if (found === undefined) throw notFound(input);
  const { sku, sourceId, dimensionsKey } = found.reservation;
  const stored = await deps.store.getRow({ sku, sourceId, dimensionsKey });
  if (stored === undefined) throw notFound(input);
  const request = { id: input.id, quantity: input.quantity };
  const outcome =
    kind === 'ship'
      ? ship(stored.row, found.reservation, request, deps.clock.now())
      : unreserve(
          stored.row,
          found.reservation,
          { quantity: input.quantity, releaseId: input.id },
          deps.clock.now()
        );
  if (!outcome.ok) throw outcome.error;
}
