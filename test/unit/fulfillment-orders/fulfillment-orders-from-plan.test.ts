import { ValidationError } from '../../../shared/domain/errors';
import { customerKeyOf, shipToKeyOf } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import { fulfillmentOrdersFromPlan } from '../../../shared/domain/fulfillment-orders/fulfillment-orders-from-plan';
import { NOW, ids, order } from './fixtures';

const alloc = (sourceId: string, quantity: number) => ({ sourceId, quantity, distanceKm: 1 });

describe('fulfillmentOrdersFromPlan', () => {
  it('makes one FO per source of an order, with its lines and creation events', () => {
    const o = order('O1', [
      ['1', 'SKU-A', 3],
      ['2', 'SKU-B', 1],
    ]);
    const result = fulfillmentOrdersFromPlan({
      planLines: [
        { orderId: 'O1', lineId: '1', allocations: [alloc('S1', 2), alloc('S2', 1)] },
        { orderId: 'O1', lineId: '2', allocations: [alloc('S1', 1)] },
      ],
      orders: [o],
      openFulfillmentOrders: [],
      batchWindowSeconds: 0,
      now: NOW,
      newId: ids(),
    });
    expect(result.updated).toEqual([]);
    expect(result.created.map((fo) => [fo.id, fo.sourceId, fo.state, fo.orderIds])).toEqual([
      ['fo-1', 'S1', 'new', ['O1']],
      ['fo-2', 'S2', 'new', ['O1']],
    ]);
    expect(result.created[0]!.lines.map((l) => [l.id, l.sku, l.quantity, l.state, l.shipped])).toEqual([
      ['O1:1', 'SKU-A', 2, 'new', 0],
      ['O1:2', 'SKU-B', 1, 'new', 0],
    ]);
    expect(result.created[1]!.lines.map((l) => [l.id, l.quantity])).toEqual([['O1:1', 1]]);
    expect(result.created[0]!.createdAt).toBe(NOW.toISOString());
    expect(result.raised.map((e) => [e.name, e.entityId, e.orderIds])).toEqual([
      ['Creation of Fulfillment Order Succeeded', 'fo-1', ['O1']],
      ['Creation of fulfillment line succeeded', 'O1:1', ['O1']],
      ['Creation of Fulfillment Order Succeeded', 'fo-2', ['O1']],
      ['Creation of fulfillment line succeeded', 'O1:1', ['O1']],
      ['Creation of fulfillment line succeeded', 'O1:2', ['O1']],
    ]);
  });

  it('skips zero allocations and unsourced lines', () => {
    const result = fulfillmentOrdersFromPlan({
      planLines: [{ orderId: 'O1', lineId: '1', allocations: [alloc('S1', 0)] }],
      orders: [order('O1')],
      openFulfillmentOrders: [],
      batchWindowSeconds: 0,
      now: NOW,
      newId: ids(),
    });
    expect(result.created).toEqual([]);
    expect(result.raised).toEqual([]);
  });

  const twoOrders = (window: number, second = order('O2', [['1', 'SKU-B', 1]])) =>
    fulfillmentOrdersFromPlan({
      planLines: [
        { orderId: 'O1', lineId: '1', allocations: [alloc('S1', 2)] },
        { orderId: second.orderId, lineId: '1', allocations: [alloc('S1', 1)] },
      ],
      orders: [order('O1'), second],
      openFulfillmentOrders: [],
      batchWindowSeconds: window,
      now: NOW,
      newId: ids(),
    });

  it('window 0: two orders of one customer and address get FOs of their own', () => {
    expect(twoOrders(0).created.map((fo) => fo.orderIds)).toEqual([['O1'], ['O2']]);
  });

  it('window > 0: two orders of one customer, address and source in one batch share an FO', () => {
    const result = twoOrders(2);
    expect(result.created).toHaveLength(1);
    expect(result.created[0]!.orderIds).toEqual(['O1', 'O2']);
    expect(result.created[0]!.lines.map((l) => l.id)).toEqual(['O1:1', 'O2:1']);
  });

  it('does not merge across customers or addresses', () => {
    expect(twoOrders(2, order('O2', [['1', 'SKU-B', 1]], { accountId: 'C2' })).created).toHaveLength(2);
    expect(twoOrders(2, order('O2', [['1', 'SKU-B', 1]], { accountId: 'C1' }, '99999')).created).toHaveLength(
      2
    );
  });

  const existing = (window: number, createdAt: string, state = 'new', sourceId = 'S1') => {
    const first = fulfillmentOrdersFromPlan({
      planLines: [{ orderId: 'O1', lineId: '1', allocations: [alloc('S1', 2)] }],
      orders: [order('O1')],
      openFulfillmentOrders: [],
      batchWindowSeconds: window,
      now: new Date(createdAt),
      newId: ids('old'),
    }).created[0]!;
    const open = { ...first, state, sourceId };
    const result = fulfillmentOrdersFromPlan({
      planLines: [{ orderId: 'O2', lineId: '1', allocations: [alloc('S1', 1)] }],
      orders: [order('O2', [['1', 'SKU-B', 1]])],
      openFulfillmentOrders: [open],
      batchWindowSeconds: window,
      now: NOW,
      newId: ids(),
    });
    return { open, result };
  };

  it('merges into an open FO created inside the window, leaving the input unchanged', () => {
    const { open, result } = existing(2, '2026-12-01T09:59:58.500Z');
    expect(result.created).toEqual([]);
    expect(result.updated.map((fo) => [fo.id, fo.orderIds])).toEqual([['old-1', ['O1', 'O2']]]);
    expect(result.updated[0]!.updatedAt).toBe(NOW.toISOString());
    expect(open.orderIds).toEqual(['O1']);
    expect(result.raised.map((e) => [e.name, e.fulfillmentOrderId])).toEqual([
      ['Creation of fulfillment line succeeded', 'old-1'],
    ]);
  });

  it('does not merge once the window has passed, into a sent FO, or across sources', () => {
    expect(existing(2, '2026-12-01T09:59:58.000Z').result.created).toHaveLength(1);
    expect(existing(2, '2026-12-01T09:59:59.000Z', 'in progress').result.created).toHaveLength(1);
    expect(existing(2, '2026-12-01T09:59:59.000Z', 'new', 'S9').result.created).toHaveLength(1);
    expect(existing(0, '2026-12-01T10:00:00.000Z').result.created).toHaveLength(1);
  });

  it('the same order line joining again adds to its quantity', () => {
    const result = fulfillmentOrdersFromPlan({
      planLines: [
        { orderId: 'O1', lineId: '1', allocations: [alloc('S1', 1)] },
        { orderId: 'O1', lineId: '1', allocations: [alloc('S1', 1)] },
      ],
      orders: [order('O1')],
      openFulfillmentOrders: [],
      batchWindowSeconds: 5,
      now: NOW,
      newId: ids(),
    });
    expect(result.created[0]!.lines.map((l) => [l.id, l.quantity])).toEqual([['O1:1', 2]]);
  });

  it('refuses plan lines of unknown orders or lines, naming the path', () => {
    try {
      fulfillmentOrdersFromPlan({
        planLines: [
          { orderId: 'O9', lineId: '1', allocations: [alloc('S1', 1)] },
          { orderId: 'O1', lineId: '7', allocations: [alloc('S1', -1)] },
        ],
        orders: [order('O1')],
        openFulfillmentOrders: [],
        batchWindowSeconds: -1,
        now: NOW,
        newId: ids(),
      });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors.map((e) => e.path)).toEqual([
        '/batchWindowSeconds',
        '/planLines/0/orderId',
        '/planLines/1/lineId',
        '/planLines/1/allocations/0/quantity',
      ]);
    }
  });

  it('customer and ship-to keys', () => {
    expect(customerKeyOf({ orderId: 'O1', customer: { accountId: ' A ', email: 'x@y' } })).toBe('account:A');
    expect(customerKeyOf({ orderId: 'O1', customer: { email: 'Ann@X.com ' } })).toBe('email:ann@x.com');
    expect(customerKeyOf({ orderId: 'O1', customer: {} })).toBe('order:O1');
    expect(shipToKeyOf({ line1: 'Hauptstr.  1', postalCode: '10115', country: 'de', lat: 1 })).toBe(
      shipToKeyOf({ line1: 'hauptstr. 1 ', postalCode: '10115', country: 'DE', lat: 2 })
    );
  });
});

describe('fulfillmentOrdersFromPlan reservations and sendAfter', () => {
  it('keeps each allocation’s reservation on its FO line and sets sendAfter to creation + window', () => {
    const result = fulfillmentOrdersFromPlan({
      planLines: [
        {
          orderId: 'O1',
          lineId: '1',
          allocations: [
            { sourceId: 'S1', quantity: 2, reservationId: 'r1' },
            { sourceId: 'S1', quantity: 1, reservationId: 'r2' },
            { sourceId: 'S1', quantity: 1, reservationId: 'r1' },
          ],
        },
      ],
      orders: [order('O1', [['1', 'SKU-A', 4]])],
      openFulfillmentOrders: [],
      batchWindowSeconds: 30,
      now: NOW,
      newId: ids(),
    });
    expect(result.created[0]!.lines[0]).toMatchObject({
      quantity: 4,
      reservations: [
        { reservationId: 'r1', quantity: 3 },
        { reservationId: 'r2', quantity: 1 },
      ],
    });
    expect(result.created[0]!.sendAfter).toBe(new Date(NOW.getTime() + 30_000).toISOString());
  });
});
