import type { FulfillmentOrder } from '../domain/fulfillment-orders/fulfillment-order';

/** An FO as `GET /api/v1/fulfillment-orders/{foId}` shows it (docs/api.md). */
export function fulfillmentOrderView(fo: FulfillmentOrder): Record<string, unknown> {
  return {
    id: fo.id,
    sourceId: fo.sourceId,
    state: fo.state,
    stateReason: fo.stateReason ?? null,
    orderIds: fo.orderIds,
    lines: fo.lines.map((l) => ({
      orderId: l.orderId,
      lineId: l.lineId,
      sku: l.sku,
      quantity: l.quantity,
      state: l.state,
      stateReason: l.stateReason ?? null,
      picked: l.picked,
      packed: l.packed,
      shipped: l.shipped,
      delivered: l.delivered,
      cancelled: l.cancelled,
    })),
    shipments: fo.shipments.map((s) => ({
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      ...(s.url ? { url: s.url } : {}),
      shippedAt: s.shippedAt,
      lines: s.lines,
    })),
    ...(fo.externalReferences ? { externalReferences: fo.externalReferences } : {}),
    sendAfter: fo.sendAfter,
    sentAt: fo.sentAt ?? null,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
  };
}

/** An FO as the order shows it: only that order's lines. */
export function orderFulfillmentOrderView(orderId: string, fo: FulfillmentOrder): Record<string, unknown> {
  return {
    id: fo.id,
    sourceId: fo.sourceId,
    state: fo.state,
    lines: fo.lines
      .filter((l) => l.orderId === orderId)
      .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
  };
}
