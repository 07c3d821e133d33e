import { creationClaimFor, creationKeyOf } from '../../../shared/domain/fulfillment-orders/creation-claim';
import { fulfillmentOrdersFromPlan } from '../../../shared/domain/fulfillment-orders/fulfillment-orders-from-plan';
import { NOW, order } from './fixtures';

describe('creation claims', () => {
  it('key a new FO by its order, source and the order’s lines on it, in any order', () => {
    expect(creationKeyOf('O1', 'S1', ['2', '1', '2'])).toBe(creationKeyOf('O1', 'S1', ['1', '2']));
    expect(creationKeyOf('O1', 'S1', ['1'])).not.toBe(creationKeyOf('O1', 'S1', ['1', '2']));
    expect(creationKeyOf('O1', 'S1', ['1'])).not.toBe(creationKeyOf('O1', 'S2', ['1']));
    expect(creationKeyOf('O1', 'S1', ['1'])).not.toBe(creationKeyOf('O2', 'S1', ['1']));
  });

  it('give the plan’s new FOs the ids asked for their order and source, and claim them', () => {
    const asked: { orderId: string; sourceId: string }[] = [];
    const { created } = fulfillmentOrdersFromPlan({
      planLines: [
        { orderId: 'O1', lineId: '1', allocations: [{ sourceId: 'S1', quantity: 1 }] },
        {
          orderId: 'O1',
          lineId: '2',
          allocations: [
            { sourceId: 'S1', quantity: 1 },
            { sourceId: 'S2', quantity: 1 },
          ],
        },
      ],
      orders: [
        order('O1', [
          ['1', 'SKU-A', 1],
          ['2', 'SKU-B', 2],
        ]),
      ],
      openFulfillmentOrders: [],
      batchWindowSeconds: 0,
      now: NOW,
      newId: (forNew) => {
        asked.push(forNew);
        return `fo-${forNew.sourceId}`;
      },
    });
    expect(asked).toEqual([
      { orderId: 'O1', sourceId: 'S1' },
      { orderId: 'O1', sourceId: 'S2' },
    ]);
    expect(created.map((fo) => creationClaimFor(fo, 'O1'))).toEqual([
      { key: creationKeyOf('O1', 'S1', ['1', '2']), orderId: 'O1', foId: 'fo-S1' },
      { key: creationKeyOf('O1', 'S2', ['2']), orderId: 'O1', foId: 'fo-S2' },
    ]);
  });
});
