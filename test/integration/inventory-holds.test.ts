import { randomUUID } from 'node:crypto';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import { checkHeldLines } from '../../shared/app/inventory/holds/check-held-lines';
import { holdOrderLines } from '../../shared/app/inventory/holds/hold-order-lines';
import { raiseBusinessEvent } from '../../shared/app/events/raise-business-event';
import { getSourceRepository } from '../../shared/app/fulfillment/wiring';
import {
  getHoldDeps,
  getHoldValidators,
  getInventoryHoldStore,
} from '../../shared/app/inventory/holds/wiring';
import { getInventoryScheduleStore } from '../../shared/app/inventory/schedules/wiring';
import { getInventoryDeps } from '../../shared/app/inventory/wiring';
import { getOrderRepository } from '../../shared/app/orders/wiring';
import { getCosmosDatabase, getGeocoder, setClock } from '../../shared/app/platform/wiring';
import { getProductRepository } from '../../shared/app/products/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { newOrder } from '../../shared/domain/orders/order';
import { productFromInput, type ProductInput } from '../../shared/domain/products/product';
import { sourceFromInput } from '../../shared/domain/fulfillment/source';

// Holds through the real use cases, Cosmos (embedded server) and the business event machinery;
// time comes from the clock port, so launch dates and the SLA are reached without waiting.

let now = new Date('2026-03-02T09:00:00.000Z');
const saved = { ...process.env };

beforeAll(async () => {
  process.env = { ...saved, COSMOS_DATABASE: `it-holds-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
  const sources = await getSourceRepository();
  for (const id of ['W1', 'W2']) {
    await sources.create(
      sourceFromInput(
        id,
        {
          name: id,
          type: 'warehouse',
          address: { postalCode: '10001', country: 'US' },
          location: { lat: 40.7, lon: -74 },
          online: true,
        },
        undefined,
        getGeocoder(),
        now
      )
    );
  }
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

const at = (iso: string) => {
  now = new Date(iso);
};

async function product(sku: string, extra: Partial<ProductInput> = {}) {
  await (await getProductRepository()).create(productFromInput(sku, { name: sku, ...extra }, undefined, now));
}

async function stock(sku: string, sourceId: string, quantity: number) {
  const results = await applyInventoryChanges(await getInventoryDeps(), [
    { id: randomUUID(), sku, sourceId, measure: 'onhand', quantity },
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied']);
}

/** An order whose header and lines passed validation (`in progress`), as the journey would leave them. */
async function order(lines: { sku: string; quantity: number }[]): Promise<string> {
  const orderId = randomUUID().replace(/-/g, '').toUpperCase();
  const created = newOrder(
    {
      externalId: orderId,
      currency: 'USD',
      customer: {},
      shipTo: { postalCode: '10001', country: 'US' },
      lines,
    },
    { orderId, intakeKey: orderId },
    now
  );
  await (await getOrderRepository()).createWithTimeline(created, []);
  const deps = await getHoldDeps();
  await raiseBusinessEvent(deps.events, {
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  for (const line of created.lines) {
    await raiseBusinessEvent(deps.events, {
      name: 'Validation of Order Line has Succeeded',
      entityType: 'orderLine',
      entityId: line.lineId,
      orderId,
    });
  }
  return orderId;
}

async function check(orderId: string, extra: Record<string, unknown> = {}) {
  return holdOrderLines(
    { ...(await getHoldDeps()), validate: getHoldValidators().check },
    { orderId, ...extra }
  );
}

async function lineState(orderId: string, lineId = '1') {
  const stored = await (await getOrderRepository()).get(orderId);
  const line = stored!.lines.find((l) => l.lineId === lineId)!;
  return `${line.state} / ${line.stateReason ?? ''}`;
}

async function available(sku: string, sourceId: string) {
  const levels = (await getHoldDeps()).levels;
  return (await levels.availableToReserve([sku], [sourceId]))[0]?.quantity ?? 0;
}

it('reserves what is there, backorders the rest with the ATP estimate, and releases oldest first', async () => {
  at('2026-03-02T09:00:00.000Z');
  await product('BO-1');
  await stock('BO-1', 'W1', 3);
  await (
    await getInventoryScheduleStore()
  ).create({
    id: 'PO-77',
    sku: 'BO-1',
    sourceId: 'W2',
    kind: 'supply',
    quantity: 10,
    date: '2026-03-05',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });

  const first = await order([{ sku: 'BO-1', quantity: 3 }]);
  expect((await check(first)).lines).toEqual([
    {
      lineId: '1',
      sku: 'BO-1',
      quantity: 3,
      outcome: 'reserved',
      sourceId: 'W1',
      reservationId: `line-${first}-L1`,
    },
  ]);
  expect(await lineState(first)).toBe('fulfillment in process / inventory check successful');
  expect(await available('BO-1', 'W1')).toBe(0);

  // Three more orders of 2 each, in this order, while nothing is left.
  const waiting: string[] = [];
  for (const minute of ['10', '11', '12']) {
    at(`2026-03-02T09:${minute}:00.000Z`);
    const id = await order([{ sku: 'BO-1', quantity: 2 }]);
    waiting.push(id);
    const result = await check(id);
    expect(result.lines[0]).toMatchObject({
      outcome: 'backorder-hold',
      estimatedAvailableDate: '2026-03-05',
    });
    expect(await lineState(id)).toBe('on hold / backorder hold');
  }
  // Checking again repeats nothing.
  expect((await check(waiting[0]!)).lines[0]).toMatchObject({ outcome: 'backorder-hold', alreadyHeld: true });

  // Stock arrives for two of the three lines (5 units: 2 + 2, and 1 left that the third may not take).
  at('2026-03-03T02:00:00.000Z');
  await stock('BO-1', 'W2', 5);
  const summary = await checkHeldLines(await getHoldDeps());
  expect(summary.released.map((r) => [r.orderId, r.sourceId])).toEqual([
    [waiting[0], 'W2'],
    [waiting[1], 'W2'],
  ]);
  expect(summary).toMatchObject({ kept: 1, cancelled: [], closed: [], failed: [] });
  expect(await lineState(waiting[0]!)).toBe('fulfillment in process / inventory check successful');
  expect(await lineState(waiting[1]!)).toBe('fulfillment in process / inventory check successful');
  expect(await lineState(waiting[2]!)).toBe('on hold / backorder hold');
  expect(await available('BO-1', 'W2')).toBe(1);

  const timeline = await (await getOrderRepository()).timeline(waiting[0]!);
  expect(timeline.map((e) => [e.kind, e.entityType, e.name, e.toState])).toEqual([
    ['event', 'order', 'Validation of Order Header has Succeeded', 'in progress'],
    ['event', 'orderLine', 'Validation of Order Line has Succeeded', 'in progress'],
    ['event', 'order', 'Validation of Order Lines has Succeeded', 'in progress'],
    ['event', 'orderLine', 'Backorder Hold Applied', 'on hold'],
    ['event', 'orderLine', 'Backorder Hold Released', 'in progress'],
    ['event', 'order', 'Validation of Order Lines has Succeeded', 'in progress'],
    ['event', 'orderLine', 'On Hand Check Success', 'fulfillment in process'],
    ['event', 'order', 'Order Header Ready to be Fulfilled', 'fulfillment in process'],
  ]);

  // A second run finds only the third line, still short.
  const again = await checkHeldLines(await getHoldDeps());
  expect(again).toMatchObject({ released: [], kept: 1 });
  const held = await (
    await getInventoryHoldStore()
  ).list({ state: 'held', sku: 'BO-1' }, { maxItemCount: 10 });
  expect(held.items.map((h) => h.orderId)).toEqual([waiting[2]]);
});

it('holds a preorder before its launch date and releases it on the date', async () => {
  at('2026-03-03T10:00:00.000Z');
  await product('PRE-1', { preorder: { launchDate: '2026-03-05' } });
  await stock('PRE-1', 'W1', 10);
  const id = await order([{ sku: 'PRE-1', quantity: 4 }]);
  expect((await check(id)).lines[0]).toMatchObject({ outcome: 'preorder-hold', launchDate: '2026-03-05' });
  expect(await lineState(id)).toBe('on hold / preorder hold');
  expect(await available('PRE-1', 'W1')).toBe(10);

  at('2026-03-04T23:59:59.000Z');
  expect(await checkHeldLines(await getHoldDeps())).toMatchObject({ released: [] });
  expect(await lineState(id)).toBe('on hold / preorder hold');

  at('2026-03-05T00:00:00.000Z');
  const summary = await checkHeldLines(await getHoldDeps());
  expect(summary.released).toEqual([
    expect.objectContaining({
      orderId: id,
      kind: 'preorder',
      sourceId: 'W1',
      reservationId: `hold-${id}-L1-h1`,
    }),
  ]);
  expect(await lineState(id)).toBe('fulfillment in process / inventory check successful');
  expect(await available('PRE-1', 'W1')).toBe(6);
});

it('turns a launched preorder without stock into a backorder, and cancels backorders past the SLA', async () => {
  at('2026-03-10T10:00:00.000Z');
  await product('PRE-2', { preorder: { launchDate: '2026-03-11' } });
  const id = await order([{ sku: 'PRE-2', quantity: 1 }]);
  expect((await check(id)).lines[0]).toMatchObject({ outcome: 'preorder-hold' });

  at('2026-03-11T02:00:00.000Z');
  const launched = await checkHeldLines(await getHoldDeps(), { cancelAfterDays: 3 });
  expect(launched.backordered).toEqual([
    expect.objectContaining({ orderId: id, estimatedAvailableDate: null }),
  ]);
  expect(await lineState(id)).toBe('on hold / backorder hold');

  at('2026-03-13T02:00:00.000Z');
  expect(await checkHeldLines(await getHoldDeps(), { cancelAfterDays: 3 })).toMatchObject({ cancelled: [] });
  at('2026-03-14T02:00:00.000Z');
  const late = await checkHeldLines(await getHoldDeps(), { cancelAfterDays: 3 });
  expect(late.cancelled).toEqual([expect.objectContaining({ orderId: id })]);
  expect(await lineState(id)).toBe('cancelled / cancelled');
  const hold = await (await getInventoryHoldStore()).get('PRE-2', `${id}-L1`);
  expect(hold?.hold).toMatchObject({ state: 'cancelled', kind: 'backorder', episodeNumber: 2 });
});

it('does not check a line the state framework refuses, and leaves nothing behind', async () => {
  at('2026-03-15T10:00:00.000Z');
  await product('NEW-1');
  const orderId = randomUUID().replace(/-/g, '').toUpperCase();
  const created = newOrder(
    {
      externalId: orderId,
      currency: 'USD',
      customer: {},
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [{ sku: 'NEW-1', quantity: 1 }],
    },
    { orderId, intakeKey: orderId },
    now
  );
  await (await getOrderRepository()).createWithTimeline(created, []);
  const result = await check(orderId);
  expect(result.lines[0]).toMatchObject({
    outcome: 'not-checked',
    detail: expect.stringContaining("state 'new'"),
  });
  expect(await (await getInventoryHoldStore()).get('NEW-1', `${orderId}-L1`)).toBeUndefined();
  await expect(check(orderId, { lineIds: ['9'] })).rejects.toMatchObject({
    errors: [{ path: '/lineIds/0', message: expect.stringContaining("no line '9'") }],
  });
});
