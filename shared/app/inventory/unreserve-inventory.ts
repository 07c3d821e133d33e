import { ConflictError, NotFoundError } from '../../domain/errors';
import { unreserve } from '../../domain/inventory/reservation';
import type { VersionedReservation } from '../../ports/inventory';
import type { InventoryDeps, UnreserveInput } from '../../ports/inventory-requests';
import { updateInventoryRow } from './inventory-row-update';

export interface UnreserveInventoryResult {
  reservationId: string;
  sku: string;
  sourceId: string;
  /** What this call released (0 when nothing remained, or a repeated release id). */
  released: number;
  /** What the reservation still holds. */
  remaining: number;
  quantity: number;
}

/**
 * Releases all or part of a soft reservation (`POST /api/v1/inventory/unreserve`). The reservation
 * document and the row's softReserved change in one batch. Releasing all that remains is naturally
 * idempotent; a partial release is repeatable when it carries an `id`. Throws NotFoundError (404),
 * ConflictError `exceeds-reservation` (more than remains) or `ambiguous-reservation` (the id exists
 * under several SKUs: send `sku`).
 */
export async function unreserveInventory(
  deps: InventoryDeps,
  request: UnreserveInput
): Promise<UnreserveInventoryResult> {
  const input = deps.validators.unreserve(request);
  const found = await locate(deps, input.reservationId, input.sku);
  const { sku, sourceId, dimensionsKey } = found.reservation;
  return updateInventoryRow(deps.store, { sku, sourceId, dimensionsKey }, async (stored) => {
    const current = await deps.store.getReservation(sku, input.reservationId);
    if (current === undefined) throw notFound(input.reservationId);
    const result = (released: number, remaining: number) => ({
      reservationId: input.reservationId,
      sku,
      sourceId,
      released,
      remaining,
      quantity: current.reservation.quantity,
    });
    if (stored === undefined) {
      // A reservation always has its row; without one there is nothing it can hold.
      throw new ConflictError(`Reservation ${input.reservationId} has no inventory row.`, {
        code: 'conflict',
      });
    }
    const outcome = unreserve(
      stored.row,
      current.reservation,
      {
        ...(input.quantity === undefined ? {} : { quantity: input.quantity }),
        ...(input.id === undefined ? {} : { releaseId: input.id }),
      },
      deps.clock.now()
    );
    if (!outcome.ok) throw outcome.error;
    const { row, reservation, released, repeated } = outcome.value;
    if (repeated || released === 0) return { result: result(released, current.reservation.remaining) };
    return {
      row,
      writes: [{ kind: 'replace-reservation', reservation, etag: current.etag }],
      result: result(released, reservation.remaining),
    };
  });
}

async function locate(
  deps: InventoryDeps,
  reservationId: string,
  sku?: string
): Promise<VersionedReservation> {
  if (sku !== undefined) {
    const found = await deps.store.getReservation(sku, reservationId);
    if (found === undefined) throw notFound(reservationId, sku);
    return found;
  }
  const found = await deps.store.findReservations(reservationId);
  if (found.length === 0) throw notFound(reservationId);
  if (found.length > 1) {
    throw new ConflictError(`Reservation id ${reservationId} exists for several SKUs; send "sku" as well.`, {
      code: 'ambiguous-reservation',
      extensions: { skus: found.map((f) => f.reservation.sku).sort() },
    });
  }
  return found[0]!;
}

function notFound(reservationId: string, sku?: string): NotFoundError {
  return new NotFoundError(
    `No reservation has id "${reservationId}"${sku === undefined ? '' : ` for SKU "${sku}"`}.`,
    { code: 'unknown-reservation', extensions: { reservationId } }
  );
}
