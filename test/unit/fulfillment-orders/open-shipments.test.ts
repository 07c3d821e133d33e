import type { FulfillmentOrder } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import { openShipmentsOf } from '../../../shared/domain/fulfillment-orders/open-shipments';

function fo(
  id: string,
  lines: { shipped: number; delivered: number }[],
  carriers: string[]
): FulfillmentOrder {
  return {
    id,
    lines: lines.map((line, i) => ({ lineId: String(i + 1), quantity: 2, ...line })),
    shipments: carriers.map((carrier, i) => ({
      id: `${id}-s${i}`,
      carrier,
      trackingNumber: `${id}-T${i}`,
      shippedAt: '2026-12-01T10:00:00Z',
      lines: [],
    })),
  } as unknown as FulfillmentOrder;
}

it('lists the shipments of the carriers asked for, on fulfillment orders with a line not yet delivered', () => {
  const open = openShipmentsOf(
    [
      fo('on-its-way', [{ shipped: 2, delivered: 0 }], ['FedEx']),
      fo('delivered', [{ shipped: 2, delivered: 2 }], ['fedex']),
      fo('other-carrier', [{ shipped: 1, delivered: 0 }], ['UPS']),
      fo('not-shipped', [{ shipped: 0, delivered: 0 }], []),
      fo(
        'partly-delivered',
        [
          { shipped: 2, delivered: 2 },
          { shipped: 1, delivered: 0 },
        ],
        ['FEDEX', 'UPS']
      ),
    ],
    ['fedex']
  );
  expect(open).toEqual([
    {
      fulfillmentOrderId: 'on-its-way',
      carrier: 'FedEx',
      trackingNumber: 'on-its-way-T0',
      shippedAt: '2026-12-01T10:00:00Z',
    },
    {
      fulfillmentOrderId: 'partly-delivered',
      carrier: 'FEDEX',
      trackingNumber: 'partly-delivered-T0',
      shippedAt: '2026-12-01T10:00:00Z',
    },
  ]);
});
