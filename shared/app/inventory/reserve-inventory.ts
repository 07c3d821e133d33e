import { dimensionsKeyOf } from '../../domain/inventory/inventory-row';
import type { InventoryDeps, ReserveInput } from '../../ports/inventory-requests';
import { reservationView, type ReservationView } from './inventory-views';

export interface ReserveInventoryResult {
  reservation: ReservationView;
  /** The id had been reserved before: nothing new was held. */
  duplicate: boolean;
}

/**
 * Soft-reserves `quantity` of a SKU at a source (`POST /api/v1/inventory/reserve`, docs/inventory.md, docs/api.md).
 * Checks availableToReserve atomically with the write (group commit, inventory-reservation-queue.ts).
 * Throws ValidationError (400), NotFoundError `unknown-sku` / `unknown-source` (404), ConflictError
 * `insufficient-inventory` (409) or `id-reused` (409: the id was used for another quantity or row).
 * The same request again answers the same reservation with `duplicate: true`.
 */
export async function reserveInventory(
  deps: InventoryDeps,
  request: ReserveInput
): Promise<ReserveInventoryResult> {
  const input = deps.validators.reserve(request);
  const dimensions = input.dimensions ?? {};
  const outcome = await deps.reservationQueue.reserve(deps, {
    id: input.id,
    sku: input.sku,
    sourceId: input.sourceId,
    dimensions,
    dimensionsKey: dimensionsKeyOf(dimensions),
    quantity: input.quantity,
  });
  return { reservation: reservationView(outcome.reservation), duplicate: outcome.duplicate };
}
