/**
 * A fulfillment order of two orders' lines, as a provider action sees it (ActionSubject), for carrier
 * plug-in tests.
 */
import type { FulfillmentOrder } from '../../shared/domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../shared/domain/orders/order';
import type { ActionSubject } from '../../shared/ports/provider-plugins';

const at = '2026-12-01T09:00:00.000Z';

function order(
  orderId: string,
  lines: { lineId: string; sku: string; quantity: number; unitPrice?: number }[]
): Order {
  return {
    id: orderId,
    type: 'order',
    orderId,
    externalId: `ext-${orderId}`,
    channel: 'direct',
    currency: 'USD',
    customer: { email: 'jane@example.com', name: 'Jane Doe' },
    shipTo: {
      line1: '1600 Pennsylvania Ave',
      line2: 'Oval Office',
      city: 'Washington',
      state: 'DC',
      postalCode: '20500',
      country: 'US',
    },
    lines: lines.map((line) => ({ ...line, state: 'sent to fulfillment' })),
    state: 'sent to fulfillment',
    intakeKey: `key-${orderId}`,
    createdAt: at,
    updatedAt: at,
  };
}

export function fulfillmentOrderSubject(
  foId = 'fo-1001'
): Extract<ActionSubject, { type: 'fulfillmentOrder' }> {
  const orders = [
    order('o-1', [{ lineId: '1', sku: 'ABC123', quantity: 2, unitPrice: 9999 }]),
    order('o-2', [{ lineId: '1', sku: 'XYZ9', quantity: 1, unitPrice: 1250 }]),
  ];
  const fulfillmentOrder: FulfillmentOrder = {
    id: foId,
    type: 'fulfillmentOrder',
    sourceId: 'dc-east',
    orderIds: ['o-1', 'o-2'],
    customerKey: 'email:jane@example.com',
    shipTo: orders[0]!.shipTo,
    state: 'sent to provider',
    lines: orders.flatMap((o) =>
      o.lines.map((line) => ({
        id: `${o.orderId}:${line.lineId}`,
        orderId: o.orderId,
        lineId: line.lineId,
        sku: line.sku,
        quantity: line.quantity,
        state: 'sent to provider',
        picked: 0,
        packed: 0,
        shipped: 0,
        delivered: 0,
        cancelled: 0,
        reservations: [],
      }))
    ),
    shipments: [],
    appliedEventIds: [],
    sendAfter: at,
    createdAt: at,
    updatedAt: at,
  };
  return { type: 'fulfillmentOrder', fulfillmentOrder, orders };
}
