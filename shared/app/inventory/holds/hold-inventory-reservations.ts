import { ConflictError, NotFoundError } from '../../../domain/errors';
import type { InventoryReservations } from '../../../ports/inventory-holds';
import type { InventoryDeps } from '../../../ports/inventory-requests';
import { reserveInventory } from '../reserve-inventory';
import { unreserveInventory } from '../unreserve-inventory';

/** The inventory core's soft reservations as the hold use cases need them. */
export function inventoryReservationsFrom(deps: InventoryDeps): InventoryReservations {
  return {
    async reserve(request) {
      try {
        const { reservation } = await reserveInventory(deps, request);
        return { reserved: true, reservationId: reservation.reservationId, sourceId: reservation.sourceId };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (err.code === 'insufficient-inventory') return { reserved: false };
        // The id was used at another source: an earlier run reserved there, and that reservation stands.
        if (err.code === 'id-reused') {
          const existing = await deps.store.getReservation(request.sku, request.id);
          if (existing !== undefined) {
            return { reserved: true, reservationId: request.id, sourceId: existing.reservation.sourceId };
          }
        }
        throw err;
      }
    },
    async unreserve(reservationId, sku) {
      try {
        await unreserveInventory(deps, { reservationId, sku });
      } catch (err) {
        // Nothing to give back.
        if (!(err instanceof NotFoundError)) throw err;
      }
    },
  };
}
