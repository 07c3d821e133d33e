import { applyFulfillmentOrderEvent } from '../../../shared/domain/fulfillment-orders/apply-fulfillment-order-event';
import type { FulfillmentOrder } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import {
  orderLineProgress,
  raiseOrderProgress,
} from '../../../shared/domain/fulfillment-orders/order-line-progress';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { TransitionNotAllowedError } from '../../../shared/domain/states/transition-not-allowed-error';
import { NOW, order, sentFo } from './fixtures';

const config = outOfBoxConfig();
const tracking = { carrier: 'UPS', number: '1Z' };

/** O1 line 1 (3 units) split over two sources, line 2 (1 unit) at S1; an FO of O2 shares S1's. */
function fos(): [FulfillmentOrder, FulfillmentOrder] {
  const a = sentFo('fo-a', [
    ['O1', '1', 'SKU-A', 2],
    ['O1', '2', 'SKU-B', 1],
    ['O2', '1', 'SKU-A', 5],
  ]);
  const b = { ...sentFo('fo-b', [['O1', '1', 'SKU-A', 1]]), sourceId: 'S2' };
  return [a, b];
}

const o1 = () =>
  order('O1', [
    ['1', 'SKU-A', 3],
    ['2', 'SKU-B', 1],
  ]);

const ship = (fo: FulfillmentOrder, lines?: { lineId: string; orderId?: string; quantity?: number }[]) =>
  applyFulfillmentOrderEvent(fo, { type: 'shipped', tracking, ...(lines ? { lines } : {}) }, config, NOW)
    .fulfillmentOrder;
const cancel = (fo: FulfillmentOrder, lines?: { lineId: string; orderId?: string; quantity?: number }[]) =>
  applyFulfillmentOrderEvent(fo, { type: 'cancelled', ...(lines ? { lines } : {}) }, config, NOW)
    .fulfillmentOrder;

describe('orderLineProgress', () => {
  it('sums FO lines per order line across FOs, ignoring other orders', () => {
    const [a, b] = fos();
    const progress = orderLineProgress(o1(), [ship(a, [{ lineId: '1', orderId: 'O1', quantity: 1 }]), b]);
    expect(progress).toEqual([
      {
        lineId: '1',
        quantity: 3,
        onFulfillmentOrders: 3,
        picked: 0,
        packed: 0,
        shipped: 1,
        delivered: 0,
        cancelled: 0,
        outcome: 'open',
        event: null,
      },
      expect.objectContaining({
        lineId: '2',
        onFulfillmentOrders: 1,
        shipped: 0,
        outcome: 'open',
        event: null,
      }),
    ]);
  });

  it('a line is fulfilled only when every unit shipped across FOs', () => {
    const [a, b] = fos();
    const aShipped = ship(a);
    expect(orderLineProgress(o1(), [aShipped, b]).map((p) => p.outcome)).toEqual(['open', 'fulfilled']);
    expect(orderLineProgress(o1(), [aShipped, ship(b)]).map((p) => [p.outcome, p.event])).toEqual([
      ['fulfilled', 'Order Line Fulfilled'],
      ['fulfilled', 'Order Line Fulfilled'],
    ]);
  });

  it('units not yet on any FO keep a line open', () => {
    const [a] = fos();
    expect(orderLineProgress(o1(), [ship(a)])[0]).toMatchObject({ onFulfillmentOrders: 2, outcome: 'open' });
  });

  it('cancelled when every unit is cancelled; fulfilled when the rest of a shipped line is cancelled', () => {
    const [a, b] = fos();
    const allCancelled = orderLineProgress(o1(), [cancel(a), cancel(b)]);
    expect(allCancelled.map((p) => [p.outcome, p.event])).toEqual([
      ['cancelled', 'Order Line Cancelled'],
      ['cancelled', 'Order Line Cancelled'],
    ]);
    const mixed = orderLineProgress(o1(), [ship(a), cancel(b)]);
    expect(mixed.map((p) => [p.lineId, p.shipped, p.cancelled, p.outcome])).toEqual([
      ['1', 2, 1, 'fulfilled'],
      ['2', 1, 0, 'fulfilled'],
    ]);
  });

  it('no event for a line whose state already shows its outcome', () => {
    const [a, b] = fos();
    const o = o1();
    o.lines[0]!.state = 'completed';
    expect(orderLineProgress(o, [ship(a), ship(b)]).map((p) => p.event)).toEqual([
      null,
      'Order Line Fulfilled',
    ]);
  });
});

describe('raiseOrderProgress', () => {
  it('raises the line events and Order Fulfilled; the order reaches completed', () => {
    const [a, b] = fos();
    const input = o1();
    const r = raiseOrderProgress(input, [ship(a), ship(b)], config, NOW, 'ev-1');
    expect(r.raised.map((e) => [e.id, e.name, e.entityType, e.entityId])).toEqual([
      ['ev-1:1', 'Order Line Fulfilled', 'orderLine', '1'],
      ['ev-1:2', 'Order Line Fulfilled', 'orderLine', '2'],
      ['ev-1:2:order', 'Order Fulfilled', 'order', 'O1'],
    ]);
    expect(r.order.state).toBe('completed');
    expect(r.order.lines.map((l) => l.state)).toEqual(['completed', 'completed']);
    expect(r.timeline).toHaveLength(3);
    expect(input.state).toBe('fulfillment in process');
    // Applying again raises nothing.
    const again = raiseOrderProgress(r.order, [ship(a), ship(b)], config, NOW, 'ev-2');
    expect(again.raised).toEqual([]);
    expect(again.order).toEqual(r.order);
  });

  it('a cancelled line does not keep the order from completing', () => {
    const [a, b] = fos();
    const r = raiseOrderProgress(o1(), [cancel(a, [{ lineId: '2' }]), ship(b)], config, NOW, 'ev');
    expect(r.order.state).toBe('fulfillment in process');
    const done = raiseOrderProgress(
      r.order,
      [ship(cancel(a, [{ lineId: '2' }])), ship(b)],
      config,
      NOW,
      'ev-2'
    );
    expect(done.raised.map((e) => e.name)).toEqual(['Order Line Fulfilled', 'Order Fulfilled']);
    expect(done.order.lines.map((l) => l.state)).toEqual(['completed', 'cancelled']);
    expect(done.order.state).toBe('completed');
  });

  it('every line cancelled cancels the order', () => {
    const [a, b] = fos();
    const r = raiseOrderProgress(o1(), [cancel(a), cancel(b)], config, NOW, 'ev');
    expect(r.raised.map((e) => e.name)).toEqual([
      'Order Line Cancelled',
      'Order Line Cancelled',
      'Order Cancelled',
    ]);
    expect(r.order.state).toBe('cancelled');
  });

  it('a line whose state does not allow the event is refused by the state framework', () => {
    const [a, b] = fos();
    const o = o1();
    o.lines[0]!.state = 'in progress';
    expect(() => raiseOrderProgress(o, [ship(a), ship(b)], config, NOW, 'ev')).toThrow(
      TransitionNotAllowedError
    );
  });
});
