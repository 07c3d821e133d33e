import type { AllocationGroup, Dimensions } from '../../domain/inventory/inventory-row';
import type { Reservation } from '../../domain/inventory/reservation';

/** A reservation as the API shows it when it is made (and when its id is sent again). */
export interface ReservationView {
  reservationId: string;
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  quantity: number;
  allocationGroup?: AllocationGroup;
  createdAt: string;
}

/** Fixed at creation, so a repeat of the id answers exactly the same body. */
export function reservationView(reservation: Reservation): ReservationView {
  return {
    reservationId: reservation.reservationId,
    sku: reservation.sku,
    sourceId: reservation.sourceId,
    ...(reservation.dimensionsKey === '' ? {} : { dimensions: { ...reservation.dimensions } }),
    quantity: reservation.quantity,
    ...(reservation.allocationGroup === undefined
      ? {}
      : { allocationGroup: { ...reservation.allocationGroup } }),
    createdAt: reservation.createdAt,
  };
}
