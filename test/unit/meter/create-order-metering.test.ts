import { createOrder, type CreateOrderDeps } from '../../../shared/app/intake/create-order';
import type { OrderUsage } from '../../../shared/domain/meter/order-usage';
import type { Order, OrderIntake } from '../../../shared/domain/orders/order';
import type { OrderLineMeter } from '../../../shared/ports/meter';
import type { OrderRepository } from '../../../shared/ports/orders';

// The counting rules of createOrder: count after storing, once per order, in the stored order's month.

const intake: OrderIntake = {
  externalId: 'x-1',
  currency: 'EUR',
  customer: {},
  shipTo: { postalCode: '10115', country: 'DE' },
  lines: [
    { sku: 'A', quantity: 1 },
    { sku: 'B', quantity: 4 },
  ],
};

/** A meter that keeps what it was asked, counting each order id once, like the real one. */
function fakeMeter() {
  const counted = new Map<string, OrderUsage>();
  const meter: OrderLineMeter = {
    count: (usage) => {
      if (counted.has(usage.orderId)) return Promise.resolve('already-counted');
      counted.set(usage.orderId, usage);
      return Promise.resolve('counted');
    },
    countAll: () => Promise.reject(new Error('not used')),
    months: () => Promise.resolve([]),
  };
  return { meter, counted };
}

function depsWith(stored: Map<string, Order>, meter: OrderLineMeter, now: string): CreateOrderDeps {
  const orders: Pick<OrderRepository, 'createWithTimeline' | 'get'> = {
    createWithTimeline: (order) => {
      if (stored.has(order.orderId)) return Promise.resolve('exists');
      stored.set(order.orderId, order);
      return Promise.resolve('created');
    },
    get: (orderId) => Promise.resolve(stored.get(orderId)),
  };
  return {
    validate: (input) => input as OrderIntake,
    archive: {
      get: () => Promise.resolve(JSON.stringify(intake)),
      putIfAbsent: (orderId) => Promise.resolve(`${orderId}.json`),
      putGroupIfAbsent: () => Promise.reject(new Error('not used')),
    },
    journeyFor: () => Promise.resolve(undefined),
    signals: { send: () => Promise.resolve() },
    publisher: { publish: () => Promise.resolve() },
    orders: orders as OrderRepository,
    clock: { now: () => new Date(now) },
    meter,
  };
}

it('counts the lines of a new order in the month it was created', async () => {
  const { meter, counted } = fakeMeter();
  const outcome = await createOrder(depsWith(new Map(), meter, '2026-11-30T23:00:00Z'), {
    orderId: 'o-1',
    intakeKey: 'k',
  });
  expect(outcome).toBe('created');
  expect([...counted.values()]).toEqual([{ orderId: 'o-1', month: '2026-11', orderLines: 2 }]);
});

it('does not count a redelivered message twice', async () => {
  const { meter, counted } = fakeMeter();
  const stored = new Map<string, Order>();
  const deps = depsWith(stored, meter, '2026-11-30T23:00:00Z');
  await createOrder(deps, { orderId: 'o-1', intakeKey: 'k' });
  const countSpy = jest.spyOn(meter, 'count');
  expect(await createOrder(deps, { orderId: 'o-1', intakeKey: 'k' })).toBe('exists');
  expect(await countSpy.mock.results[0]!.value).toBe('already-counted');
  expect(counted.size).toBe(1);
});

it('counts an order whose first delivery stored it but failed before counting, in its own month', async () => {
  const stored = new Map<string, Order>();
  const failing: OrderLineMeter = {
    count: () => Promise.reject(new Error('meter unavailable')),
    countAll: () => Promise.reject(new Error('not used')),
    months: () => Promise.resolve([]),
  };
  await expect(
    createOrder(depsWith(stored, failing, '2026-11-30T23:59:00Z'), { orderId: 'o-1', intakeKey: 'k' })
  ).rejects.toThrow('meter unavailable');
  expect(stored.has('o-1')).toBe(true);

  // The retry runs after midnight UTC: the order still counts in November, when it was created.
  const { meter, counted } = fakeMeter();
  await createOrder(depsWith(stored, meter, '2026-12-01T00:01:00Z'), { orderId: 'o-1', intakeKey: 'k' });
  expect(counted.get('o-1')).toEqual({ orderId: 'o-1', month: '2026-11', orderLines: 2 });
});
