import type { FulfillmentOrder } from '../fulfillment-orders/fulfillment-order';
import type { BillQuantity } from './invoice';

/** What one shipment of a fulfillment order bills on one of its orders. */
export interface ShipmentBill {
  shipmentId: string;
  orderId: string;
  lines: BillQuantity[];
}

/**
 * An invoice per shipment and order: the shipments of `fo` in the order they left, each split by
 * the orders whose lines it carries (a merged FO ships several orders at once), quantities of one
 * order line in one shipment added up.
 */
export function shipmentBills(fo: Pick<FulfillmentOrder, 'shipments'>): ShipmentBill[] {
  const bills: ShipmentBill[] = [];
  for (const shipment of fo.shipments) {
    const byOrder = new Map<string, Map<string, number>>();
    for (const line of shipment.lines) {
      if (line.quantity <= 0) continue;
      const lines = byOrder.get(line.orderId) ?? new Map<string, number>();
      lines.set(line.lineId, (lines.get(line.lineId) ?? 0) + line.quantity);
      byOrder.set(line.orderId, lines);
    }
    for (const [orderId, lines] of byOrder) {
      bills.push({
        shipmentId: shipment.id,
        orderId,
        lines: [...lines].map(([lineId, quantity]) => ({ lineId, quantity })),
      });
    }
  }
  return bills;
}
