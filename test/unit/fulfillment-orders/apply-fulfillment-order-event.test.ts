import { reservationDraws } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import {
  applyFulfillmentOrderEvent,
  type FulfillmentOrderEvent,
} from '../../../shared/domain/fulfillment-orders/apply-fulfillment-order-event';
import type { FulfillmentOrder } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { TransitionNotAllowedError } from '../../../shared/domain/states/transition-not-allowed-error';
import { NOW, sentFo } from './fixtures';

const config = outOfBoxConfig();
const tracking = { carrier: 'DHL', number: 'JD0001' };
const apply = (fo: FulfillmentOrder, event: FulfillmentOrderEvent) =>
  applyFulfillmentOrderEvent(fo, event, config, NOW);

function fo(): FulfillmentOrder {
  return sentFo('fo-1', [
    ['O1', '1', 'SKU-A', 3],
    ['O1', '2', 'SKU-B', 1],
  ]);
}

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

function conflict(run: () => unknown): ConflictError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConflictError);
    return err as ConflictError;
  }
  throw new Error('expected a ConflictError');
}

const names = (r: { raised: { name: string; entityId: string; toState: string }[] }) =>
  r.raised.map((e) => [e.name, e.entityId, e.toState]);

describe('applyFulfillmentOrderEvent', () => {
  it('shipped without lines ships every open line, completes the FO and records the shipment', () => {
    const input = fo();
    const r = apply(input, { id: 'e1', type: 'shipped', tracking: { ...tracking, url: 'https://t/1' } });
    expect(r.duplicate).toBe(false);
    expect(r.fulfillmentOrder.lines.map((l) => [l.shipped, l.state])).toEqual([
      [3, 'completed'],
      [1, 'completed'],
    ]);
    expect(r.fulfillmentOrder.state).toBe('completed');
    expect(r.fulfillmentOrder.stateReason).toBe('shipped');
    expect(names(r)).toEqual([
      ['Fulfillment Order Line Shipped', 'O1:1', 'completed'],
      ['Fulfillment Order Line Shipped', 'O1:2', 'completed'],
      ['Fulfillment Order Shipped', 'fo-1', 'completed'],
    ]);
    expect(r.shipment).toEqual({
      id: 'fo-1:shipment:1',
      eventId: 'e1',
      carrier: 'DHL',
      trackingNumber: 'JD0001',
      url: 'https://t/1',
      shippedAt: NOW.toISOString(),
      lines: [
        { orderId: 'O1', lineId: '1', sku: 'SKU-A', quantity: 3 },
        { orderId: 'O1', lineId: '2', sku: 'SKU-B', quantity: 1 },
      ],
    });
    expect(
      r.shipped.map(({ orderId, lineId, sku, quantity }) => ({ orderId, lineId, sku, quantity }))
    ).toEqual(r.shipment!.lines);
    expect(r.fulfillmentOrder.shipments).toEqual([r.shipment]);
    expect(r.fulfillmentOrder.appliedEventIds).toEqual(['e1']);
    expect(input.lines[0]!.shipped).toBe(0);
    expect(input.state).toBe('in progress');
  });

  it('partial quantities move quantities only; the line closes with its last unit', () => {
    const first = apply(fo(), { type: 'shipped', tracking, lines: [{ lineId: '1', quantity: 2 }] });
    expect(first.raised).toEqual([]);
    expect(first.fulfillmentOrder.lines[0]).toMatchObject({ shipped: 2, state: 'in progress' });
    expect(first.shipped).toEqual([
      {
        orderId: 'O1',
        lineId: '1',
        sku: 'SKU-A',
        quantity: 2,
        foLineId: 'O1:1',
        reservations: [{ reservationId: 'res-O1-1', sku: 'SKU-A', quantity: 2 }],
      },
    ]);
    const second = apply(first.fulfillmentOrder, { type: 'shipped', tracking, lines: [{ lineId: '1' }] });
    expect(second.shipped).toMatchObject([
      { orderId: 'O1', lineId: '1', quantity: 1, reservations: [{ reservationId: 'res-O1-1', quantity: 1 }] },
    ]);
    expect(names(second)).toEqual([['Fulfillment Order Line Shipped', 'O1:1', 'completed']]);
    expect(second.fulfillmentOrder.state).toBe('in progress');
    expect(second.fulfillmentOrder.shipments.map((s) => s.id)).toEqual([
      'fo-1:shipment:1',
      'fo-1:shipment:2',
    ]);
  });

  it('picked and packed move lines and the FO to fulfillment in process', () => {
    const r = apply(fo(), { type: 'picked', lines: [{ lineId: '1', quantity: 1 }] });
    expect(names(r)).toEqual([
      ['Fulfillment Order Line Picked', 'O1:1', 'fulfillment in process'],
      ['Fulfillment Order Picked', 'fo-1', 'fulfillment in process'],
    ]);
    expect(r.fulfillmentOrder.lines[0]).toMatchObject({ picked: 1, stateReason: 'picked' });
    const packed = apply(r.fulfillmentOrder, { type: 'packed' });
    expect(packed.fulfillmentOrder.lines.map((l) => l.packed)).toEqual([3, 1]);
    expect(packed.fulfillmentOrder.stateReason).toBe('packed');
  });

  it('picked and packed are not prerequisites of shipping', () => {
    const r = apply(fo(), { type: 'shipped', tracking, lines: [{ lineId: '2', quantity: 1 }] });
    expect(r.fulfillmentOrder.lines[1]).toMatchObject({ picked: 0, packed: 0, shipped: 1 });
  });

  it('the same event id again changes nothing and says so, returning the first shipment', () => {
    const first = apply(fo(), { id: 'e1', type: 'shipped', tracking, lines: [{ lineId: '1', quantity: 1 }] });
    const again = apply(first.fulfillmentOrder, {
      id: 'e1',
      type: 'shipped',
      tracking,
      lines: [{ lineId: '1', quantity: 1 }],
    });
    expect(again.duplicate).toBe(true);
    expect(again.fulfillmentOrder).toBe(first.fulfillmentOrder);
    expect(again.raised).toEqual([]);
    expect(again.shipped).toEqual([]);
    expect(again.shipment).toEqual(first.shipment);
    const noId = apply(first.fulfillmentOrder, {
      type: 'shipped',
      tracking,
      lines: [{ lineId: '1', quantity: 1 }],
    });
    expect(noId.fulfillmentOrder.lines[0]!.shipped).toBe(2);
  });

  it('refuses shipping more than is left, naming the line', () => {
    const e = refusal(() =>
      apply(fo(), { type: 'shipped', tracking, lines: [{ lineId: '1', quantity: 4 }] })
    );
    expect(e.errors).toEqual([
      {
        path: '/lines/0/quantity',
        message:
          '4 is more than the 3 left to be shipped (quantity 3, picked 0, packed 0, shipped 0, delivered 0, cancelled 0)',
      },
    ]);
  });

  it('refuses unknown lines, bad quantities, repeated lines and missing tracking, all at once', () => {
    const e = refusal(() =>
      apply(fo(), {
        type: 'shipped',
        lines: [
          { lineId: '9', quantity: 1 },
          { lineId: '1', quantity: 0 },
          { lineId: '2', quantity: 1.5 },
          { lineId: '2', quantity: 1 },
        ],
      })
    );
    expect(e.errors.map((i) => i.path)).toEqual([
      '/tracking',
      '/lines/0/lineId',
      '/lines/1/quantity',
      '/lines/2/quantity',
      '/lines/3',
    ]);
    expect(
      refusal(() => apply(fo(), { type: 'shipped', tracking: { carrier: ' ', number: '' } })).errors.map(
        (i) => i.path
      )
    ).toEqual(['/tracking/carrier', '/tracking/number']);
    expect(refusal(() => apply(fo(), { type: 'lost' as never })).errors[0]!.path).toBe('/type');
  });

  it('needs the order id when the FO holds the same line id of several orders', () => {
    const merged = sentFo('fo-2', [
      ['O1', '1', 'SKU-A', 1],
      ['O2', '1', 'SKU-B', 1],
    ]);
    expect(refusal(() => apply(merged, { type: 'picked', lines: [{ lineId: '1' }] })).errors[0]!.path).toBe(
      '/lines/0/orderId'
    );
    const r = apply(merged, { type: 'shipped', tracking, lines: [{ lineId: '1', orderId: 'O2' }] });
    expect(r.shipped).toMatchObject([{ orderId: 'O2', lineId: '1', sku: 'SKU-B', quantity: 1 }]);
    expect(r.raised[0]!.orderIds).toEqual(['O2']);
  });

  it('refuses a step the FO state does not allow, through the state framework', () => {
    const unsent = { ...fo(), state: 'new' };
    const e = conflict(() => apply(unsent, { type: 'shipped', tracking }));
    expect(e).toBeInstanceOf(TransitionNotAllowedError);
    expect(e.code).toBe('transition-not-allowed');
    expect(conflict(() => apply(unsent, { type: 'picked' })).message).toMatch(/Fulfillment Order Picked/);
    const cancelledFo = { ...fo(), state: 'cancelled' };
    expect(conflict(() => apply(cancelledFo, { type: 'packed' })).code).toBe('transition-not-allowed');
  });

  it('refuses a step a line state does not allow, naming the line', () => {
    const input = fo();
    input.lines[1]!.state = 'on hold';
    const e = conflict(() => apply(input, { type: 'picked', lines: [{ lineId: '1' }, { lineId: '2' }] }));
    expect(e.extensions).toMatchObject({ path: '/lines/1', currentState: 'on hold' });
    expect(e.message).toMatch(/\/lines\/1/);
  });

  it('nothing left: a shipped FO cannot ship or cancel again', () => {
    const shipped = apply(fo(), { type: 'shipped', tracking }).fulfillmentOrder;
    expect(refusal(() => apply(shipped, { type: 'shipped', tracking })).errors[0]!.path).toBe('/lines');
    expect(refusal(() => apply(shipped, { type: 'cancelled' })).errors[0]!.path).toBe('/lines');
    expect(refusal(() => apply(shipped, { type: 'picked', lines: [{ lineId: '1' }] })).errors[0]!.path).toBe(
      '/lines/0/quantity'
    );
  });

  it('cancelling every line cancels the FO, even before it was sent', () => {
    const unsent = { ...fo(), state: 'new', lines: fo().lines.map((l) => ({ ...l, state: 'new' })) };
    const r = apply(unsent, { type: 'cancelled' });
    expect(names(r)).toEqual([
      ['Fulfillment Order Line Cancelled', 'O1:1', 'cancelled'],
      ['Fulfillment Order Line Cancelled', 'O1:2', 'cancelled'],
      ['Fulfillment Order Cancelled', 'fo-1', 'cancelled'],
    ]);
    expect(r.cancelled.map((c) => c.quantity)).toEqual([3, 1]);
  });

  it('cancelling the rest of a partly shipped line closes it as shipped; the FO completes', () => {
    const part = apply(fo(), {
      type: 'shipped',
      tracking,
      lines: [{ lineId: '1', quantity: 2 }, { lineId: '2' }],
    });
    expect(part.fulfillmentOrder.state).toBe('in progress');
    const r = apply(part.fulfillmentOrder, { type: 'cancelled' });
    expect(r.cancelled).toMatchObject([
      { orderId: 'O1', lineId: '1', sku: 'SKU-A', quantity: 1, reservations: [{ quantity: 1 }] },
    ]);
    expect(names(r)).toEqual([
      ['Fulfillment Order Line Shipped', 'O1:1', 'completed'],
      ['Fulfillment Order Shipped', 'fo-1', 'completed'],
    ]);
    expect(r.fulfillmentOrder.lines[0]).toMatchObject({ shipped: 2, cancelled: 1 });
  });

  it('a cancelled line does not keep the FO from shipping', () => {
    const r1 = apply(fo(), { type: 'cancelled', lines: [{ lineId: '2' }] });
    expect(names(r1)).toEqual([['Fulfillment Order Line Cancelled', 'O1:2', 'cancelled']]);
    const r2 = apply(r1.fulfillmentOrder, { type: 'shipped', tracking });
    expect(r2.shipped.map((s) => s.lineId)).toEqual(['1']);
    expect(r2.fulfillmentOrder.state).toBe('completed');
  });

  it('delivered counts delivered units up to what shipped, without state changes', () => {
    const part = apply(fo(), { type: 'shipped', tracking, lines: [{ lineId: '1', quantity: 2 }] });
    const r = apply(part.fulfillmentOrder, { type: 'delivered' });
    expect(r.fulfillmentOrder.lines.map((l) => l.delivered)).toEqual([2, 0]);
    expect(r.raised).toEqual([]);
    expect(
      refusal(() => apply(r.fulfillmentOrder, { type: 'delivered', lines: [{ lineId: '1', quantity: 1 }] }))
        .errors[0]!.path
    ).toBe('/lines/0/quantity');
  });

  it('with the state framework switched off, quantities still move and no state changes', () => {
    const off = { ...config, enabled: false };
    const r = applyFulfillmentOrderEvent({ ...fo(), state: 'new' }, { type: 'shipped', tracking }, off, NOW);
    expect(r.fulfillmentOrder.state).toBe('new');
    expect(r.fulfillmentOrder.lines.map((l) => l.shipped)).toEqual([3, 1]);
  });
});

describe('reservationDraws', () => {
  const line = {
    sku: 'SKU-A',
    reservations: [
      { reservationId: 'r1', quantity: 2 },
      { reservationId: 'r2', quantity: 3 },
    ],
  };

  it('draws on the reservations first to last, after the units already gone', () => {
    expect(reservationDraws(line, 0, 1)).toEqual([{ reservationId: 'r1', sku: 'SKU-A', quantity: 1 }]);
    expect(reservationDraws(line, 1, 3)).toEqual([
      { reservationId: 'r1', sku: 'SKU-A', quantity: 1 },
      { reservationId: 'r2', sku: 'SKU-A', quantity: 2 },
    ]);
    expect(reservationDraws(line, 4, 1)).toEqual([{ reservationId: 'r2', sku: 'SKU-A', quantity: 1 }]);
  });

  it('draws nothing for units beyond the reservations', () => {
    expect(reservationDraws(line, 4, 3)).toEqual([{ reservationId: 'r2', sku: 'SKU-A', quantity: 1 }]);
    expect(reservationDraws({ sku: 'SKU-A', reservations: [] }, 0, 2)).toEqual([]);
  });
});
