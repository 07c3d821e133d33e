import type { FulfillmentOrder } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../../shared/domain/orders/order';

export const NOW = new Date('2026-12-01T10:00:00.000Z');

export function order(
  orderId: string,
  lines: [string, string, number][] = [['1', 'SKU-A', 2]],
  customer: Order['customer'] = { accountId: 'C1' },
  postalCode = '10115'
): Order {
  return {
    id: orderId,
    type: 'order',
    orderId,
    externalId: `ext-${orderId}`,
    channel: 'direct',
    currency: 'EUR',
    customer,
    shipTo: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode, country: 'DE' },
    lines: lines.map(([lineId, sku, quantity]) => ({
      lineId,
      sku,
      quantity,
      state: 'fulfillment in process',
    })),
    state: 'fulfillment in process',
    intakeKey: `key-${orderId}`,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

export function ids(prefix = 'fo'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** An FO sent to its provider (`in progress`) with the given lines [orderId, lineId, sku, quantity]. */
export function sentFo(id: string, lines: [string, string, string, number][]): FulfillmentOrder {
  return {
    id,
    type: 'fulfillmentOrder',
    sourceId: 'S1',
    orderIds: [...new Set(lines.map(([orderId]) => orderId))],
    customerKey: 'account:C1',
    shipTo: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    state: 'in progress',
    stateReason: 'sent to fulfillment provider',
    lines: lines.map(([orderId, lineId, sku, quantity]) => ({
      id: `${orderId}:${lineId}`,
      orderId,
      lineId,
      sku,
      quantity,
      state: 'in progress',
      stateReason: 'sent to fulfillment provider',
      picked: 0,
      packed: 0,
      shipped: 0,
      delivered: 0,
      cancelled: 0,
      reservations: [{ reservationId: `res-${orderId}-${lineId}`, quantity }],
    })),
    shipments: [],
    appliedEventIds: [],
    sendAfter: NOW.toISOString(),
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}
