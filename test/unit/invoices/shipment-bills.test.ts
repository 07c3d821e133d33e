import { shipmentBills } from '../../../shared/domain/invoices/shipment-bills';

it('bills each shipment per order, adding up one line shipped twice in a shipment', () => {
  const line = (orderId: string, lineId: string, quantity: number) => ({
    orderId,
    lineId,
    sku: 'S',
    quantity,
  });
  const shipment = (id: string, lines: ReturnType<typeof line>[]) => ({
    id,
    carrier: 'UPS',
    trackingNumber: id,
    shippedAt: '2026-12-02T00:00:00.000Z',
    lines,
  });
  expect(
    shipmentBills({
      shipments: [
        shipment('FO:shipment:1', [line('A', '1', 1), line('B', '1', 2), line('A', '1', 1)]),
        shipment('FO:shipment:2', [line('A', '2', 3), line('A', '3', 0)]),
      ],
    })
  ).toEqual([
    { shipmentId: 'FO:shipment:1', orderId: 'A', lines: [{ lineId: '1', quantity: 2 }] },
    { shipmentId: 'FO:shipment:1', orderId: 'B', lines: [{ lineId: '1', quantity: 2 }] },
    { shipmentId: 'FO:shipment:2', orderId: 'A', lines: [{ lineId: '2', quantity: 3 }] },
  ]);
});
