import type { FulfillmentOrder } from './fulfillment-order';

/** A shipment still on its way, as the app knows it: what a tracking poller asks the carrier about. */
export interface OpenShipment {
  fulfillmentOrderId: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
}

/**
 * The shipments of these fulfillment orders still on their way with one of `carriers` (compared
 * case-insensitively): the FO has a line shipped and not yet delivered. What a tracking poller asks
 * its carrier about.
 */
export function openShipmentsOf(
  fulfillmentOrders: readonly FulfillmentOrder[],
  carriers: readonly string[]
): OpenShipment[] {
  const wanted = new Set(carriers.map((carrier) => carrier.toLowerCase()));
  const open: OpenShipment[] = [];
  for (const fo of fulfillmentOrders) {
    if (!fo.lines.some((line) => line.delivered < line.shipped)) continue;
    for (const shipment of fo.shipments) {
      if (!wanted.has(shipment.carrier.toLowerCase())) continue;
      open.push({
        fulfillmentOrderId: fo.id,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        shippedAt: shipment.shippedAt,
      });
    }
  }
  return open;
}
