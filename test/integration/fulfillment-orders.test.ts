import { orderRepositoryWith } from '../support/order-repository-with';
import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers, type Containers } from '../../shared/adapters/cosmos/containers';
import { CosmosFulfillmentOrderRepository } from '../../shared/adapters/cosmos/fulfillment-order-repository';
import { CosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store';
import { CosmosOrderRepository } from '../../shared/adapters/cosmos/order-repository';
import { CosmosProductRepository } from '../../shared/adapters/cosmos/product-repository';
import { CosmosSourceRepository } from '../../shared/adapters/cosmos/source-repository';
import { cancelOrderFulfillment } from '../../shared/app/fulfillment-orders/cancel-order-fulfillment';
import { createFulfillmentOrders } from '../../shared/app/fulfillment-orders/create-fulfillment-orders';
import type { FulfillmentOrderDeps } from '../../shared/app/fulfillment-orders/fulfillment-order-deps';
import { raiseFulfillmentOrderEvent } from '../../shared/app/fulfillment-orders/raise-fulfillment-order-event';
import { recordFulfillmentOrderEvent } from '../../shared/app/fulfillment-orders/record-fulfillment-order-event';
import { sendFulfillmentOrders } from '../../shared/app/fulfillment-orders/send-fulfillment-orders';
import { fulfillmentInventory } from '../../shared/app/fulfillment-orders/wiring';
import { getOrder } from '../../shared/app/orders/get-order';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import { InventoryReservationQueue } from '../../shared/app/inventory/inventory-reservation-queue';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import { reserveInventory } from '../../shared/app/inventory/reserve-inventory';
import { PreconditionFailedError, ValidationError } from '../../shared/domain/errors';
import type { BusinessCloudEvent } from '../../shared/domain/events/cloud-event';
import {
  customerKeyOf,
  type FulfillmentOrder,
} from '../../shared/domain/fulfillment-orders/fulfillment-order';
import { creationKeyOf } from '../../shared/domain/fulfillment-orders/creation-claim';
import { mergeKeyOf } from '../../shared/domain/fulfillment-orders/merge-slot';
import type { JourneySignal } from '../../shared/domain/journeys/journey-signal';
import { defaultMeasureDefinitions } from '../../shared/domain/inventory/measures/measures';
import type { Order } from '../../shared/domain/orders/order';
import { outOfBoxConfig } from '../../shared/domain/states/out-of-box';
import { TransitionNotAllowedError } from '../../shared/domain/states/transition-not-allowed-error';
import type { InventoryDeps } from '../../shared/ports/inventory-requests';
import {
  fulfillmentOrderEventSchema,
  type FulfillmentOrderEventRequest,
} from '../../shared/schemas/fulfillment-order-event.schema';
import { compileInventoryValidators } from '../../shared/schemas/inventory.schema';
import { compileValidator } from '../../shared/schemas/validator';
import { storedSource } from '../unit/fulfillment-api/memory-repositories';

/** The fulfillment-order repository and use cases against the embedded Cosmos server of global setup. */

const databaseId = `it-fo-${randomUUID()}`;
let time = new Date('2026-12-01T10:00:00.000Z');
const clock = { now: () => time };
let client: CosmosClient;
let containers: Containers;
let published: BusinessCloudEvent[] = [];
let signals: JourneySignal[] = [];
let inventoryDeps: InventoryDeps;
let deps: FulfillmentOrderDeps;
let n = 0;
const validateEvent = compileValidator<FulfillmentOrderEventRequest>(
  fulfillmentOrderEventSchema,
  'fulfillment order event'
);

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  ({ containers } = await ensureDatabaseAndContainers(client, databaseId));
  inventoryDeps = {
    validators: compileInventoryValidators(),
    store: new CosmosInventoryStore(containers.inventory, clock),
    sources: new CosmosSourceRepository(containers.catalog, clock),
    products: new CosmosProductRepository(containers.catalog, clock),
    clock,
    measures: defaultMeasureDefinitions,
    reservationQueue: new InventoryReservationQueue(),
  };
  await inventoryDeps.sources.create(storedSource('S1', 47.6, -122.3));
  await inventoryDeps.sources.create(storedSource('S2', 40.7, -74));
  deps = {
    fulfillmentOrders: new CosmosFulfillmentOrderRepository(containers.orders, clock),
    orders: new CosmosOrderRepository(containers.orders, clock),
    publisher: { publish: (events) => Promise.resolve(void published.push(...events)) },
    signals: { send: (sent) => Promise.resolve(void signals.push(...sent)) },
    journeysInForce: {
      refFor: (type, entityId) =>
        Promise.resolve({ instanceId: `${type}:${entityId}:J-FO`, journeyId: 'J-FO', version: 1 }),
    },
    inventory: fulfillmentInventory(() => Promise.resolve(inventoryDeps)),
    config: outOfBoxConfig(),
    ids: { newId: () => `FO-${String(++n).padStart(4, '0')}-${randomUUID().slice(0, 6)}` },
    clock,
    validateEvent,
  };
});

beforeEach(() => {
  published = [];
  signals = [];
});

afterAll(async () => {
  await client
    ?.database(databaseId)
    .delete()
    .catch(() => undefined);
  client?.dispose();
});

/** An order whose lines passed validation, so they may be sent to fulfillment. */
async function storeOrder(
  lines: [string, string, number][],
  customer: Order['customer'] = { accountId: `C-${randomUUID()}` },
  extra: Partial<Order> = {}
): Promise<Order> {
  const orderId = `O-${randomUUID()}`;
  const at = clock.now().toISOString();
  const order: Order = {
    id: orderId,
    type: 'order',
    orderId,
    externalId: orderId,
    channel: 'direct',
    currency: 'USD',
    customer,
    shipTo: { line1: '1 Main St', city: 'Redmond', postalCode: '98052', country: 'US' },
    lines: lines.map(([lineId, sku, quantity]) => ({ lineId, sku, quantity, state: 'in progress' })),
    state: 'in progress',
    intakeKey: orderId,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
  expect(await deps.orders.createWithTimeline(order, [])).toBe('created');
  return order;
}

/** A SKU with `onhand` units at S1 and a reservation of `reserved` of them. */
async function stock(onhand: number, reserved: number): Promise<{ sku: string; reservationId: string }> {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const at = clock.now().toISOString();
  await inventoryDeps.products.create({ sku, name: sku, createdAt: at, updatedAt: at });
  await applyInventoryChanges(inventoryDeps, [
    { id: `${sku}-in`, sku, sourceId: 'S1', measure: 'onhand', quantity: onhand },
  ]);
  const reservationId = `res-${sku}`;
  await reserveInventory(inventoryDeps, { id: reservationId, sku, sourceId: 'S1', quantity: reserved });
  return { sku, reservationId };
}

async function measures(sku: string) {
  const { items } = await queryInventory(inventoryDeps, { skus: [sku], sourceIds: ['S1'] });
  return items[0]!.measures;
}

async function timelineNames(orderId: string) {
  return (await deps.orders.timeline(orderId)).map((e) => `${e.entityType}:${e.name}`);
}

async function fo(id: string): Promise<FulfillmentOrder> {
  return (await deps.fulfillmentOrders.get(id))!.fulfillmentOrder;
}

describe('the repository', () => {
  it('keeps an FO in its first order’s partition, a pointer in the others, and reads it by id', async () => {
    const repo = deps.fulfillmentOrders;
    const [a, b] = [await storeOrder([['1', 'X', 1]]), await storeOrder([['1', 'X', 1]])];
    const made: FulfillmentOrder = {
      id: `FO-repo-${randomUUID()}`,
      type: 'fulfillmentOrder',
      sourceId: 'S9',
      orderIds: [a.orderId, b.orderId],
      customerKey: 'account:repo',
      shipTo: a.shipTo,
      state: 'new',
      lines: [],
      shipments: [],
      appliedEventIds: [],
      sendAfter: time.toISOString(),
      createdAt: time.toISOString(),
      updatedAt: time.toISOString(),
    };
    const etag = await repo.create(made);
    const home = await containers.orders.item(made.id, a.orderId).read<{ type: string }>();
    expect(home.resource?.type).toBe('fulfillmentOrder');
    const pointer = await containers.orders
      .item(`fulfillmentOrderPointer:${made.id}`, b.orderId)
      .read<{ foId: string; homeOrderId: string }>();
    expect(pointer.resource).toMatchObject({ foId: made.id, homeOrderId: a.orderId });

    expect((await repo.get(made.id))?.fulfillmentOrder).toMatchObject({
      id: made.id,
      orderIds: made.orderIds,
    });
    expect(await repo.get('no-such-fo')).toBeUndefined();
    // Read at the home the caller names; a wrong guess still finds it through the lookup.
    expect((await repo.get(made.id, a.orderId))?.etag).toBe(etag);
    expect((await repo.get(made.id, b.orderId))?.etag).toBe(etag);
    expect((await repo.forOrder(b.orderId)).map((v) => v.fulfillmentOrder.id)).toEqual([made.id]);
    expect((await repo.find({ orderId: b.orderId, state: 'new' }, { maxItemCount: 10 })).items).toHaveLength(
      1
    );
    expect((await repo.find({ orderId: b.orderId, state: 'completed' }, { maxItemCount: 10 })).items).toEqual(
      []
    );
    expect((await repo.find({ sourceId: 'S9' }, { maxItemCount: 10 })).items.map((f) => f.id)).toEqual([
      made.id,
    ]);

    const changed = await repo.replace({ ...made, state: 'in progress' }, etag);
    expect(changed).not.toBe(etag);
    await expect(repo.replace({ ...made, state: 'cancelled' }, etag)).rejects.toBeInstanceOf(
      PreconditionFailedError
    );
    expect((await repo.get(made.id))?.fulfillmentOrder.state).toBe('in progress');
  });

  it('pages a listing', async () => {
    const repo = deps.fulfillmentOrders;
    const order = await storeOrder([['1', 'X', 1]]);
    for (let i = 0; i < 3; i++) {
      await repo.create({
        id: `FO-page-${i}-${randomUUID()}`,
        type: 'fulfillmentOrder',
        sourceId: 'S-PAGE',
        orderIds: [order.orderId],
        customerKey: 'account:page',
        shipTo: order.shipTo,
        state: 'new',
        lines: [],
        shipments: [],
        appliedEventIds: [],
        sendAfter: time.toISOString(),
        createdAt: new Date(time.getTime() + i).toISOString(),
        updatedAt: time.toISOString(),
      });
    }
    for (const filter of [{ sourceId: 'S-PAGE' }, { orderId: order.orderId }]) {
      const first = await repo.find(filter, { maxItemCount: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.continuationToken).toBeDefined();
      const second = await repo.find(filter, {
        maxItemCount: 2,
        continuationToken: first.continuationToken!,
      });
      expect([...first.items, ...second.items].map((f) => f.id.slice(0, 9))).toEqual([
        'FO-page-2',
        'FO-page-1',
        'FO-page-0',
      ]);
    }
  });
});

describe('creating FOs', () => {
  it('creates once: a retry answers the same FOs and writes nothing', async () => {
    const { sku, reservationId } = await stock(10, 3);
    const order = await storeOrder([['1', sku, 3]]);
    const input = {
      orderId: order.orderId,
      allocations: [{ lineId: '1', sourceId: 'S1', quantity: 3, reservationId }],
      batchWindowSeconds: 0,
      eventIdPrefix: 'step-create',
    };
    const first = await createFulfillmentOrders(deps, input);
    expect(first.created).toHaveLength(1);
    expect(first.joined).toEqual([]);
    const created = first.fulfillmentOrders[0]!;
    expect(created).toMatchObject({
      sourceId: 'S1',
      orderIds: [order.orderId],
      state: 'new',
      journey: { journeyId: 'J-FO', version: 1 },
      lines: [{ lineId: '1', quantity: 3, reservations: [{ reservationId, quantity: 3 }] }],
    });
    expect(created.pendingEffects).toBeUndefined();
    expect(signals).toEqual([
      {
        kind: 'start',
        journey: created.journey,
        type: 'fulfillmentOrder',
        entityId: created.id,
        orderId: order.orderId,
      },
    ]);
    expect(await timelineNames(order.orderId)).toEqual([
      'fulfillmentOrder:Creation of Fulfillment Order Succeeded',
      'fulfillmentOrderLine:Creation of fulfillment line succeeded',
    ]);
    expect(published.map((e) => e.type)).toEqual([
      'openiom.fulfillmentOrder.creation-of-fulfillment-order-succeeded',
      'openiom.fulfillmentOrderLine.creation-of-fulfillment-line-succeeded',
    ]);

    signals = [];
    const again = await createFulfillmentOrders(deps, input);
    expect(again).toEqual({ fulfillmentOrders: [await fo(created.id)], created: [], joined: [] });
    expect(signals).toEqual([]);
    expect(await deps.fulfillmentOrders.forOrder(order.orderId)).toHaveLength(1);
    expect(await timelineNames(order.orderId)).toHaveLength(2);

    const { fulfillmentOrders } = await getOrder(deps, order.orderId);
    expect(fulfillmentOrders.map((f) => f.id)).toEqual([created.id]);
  });

  it('a retry after a crash between the FO and the order writes finishes them without a second FO', async () => {
    const { sku, reservationId } = await stock(5, 1);
    const order = await storeOrder([['1', sku, 1]]);
    const input = {
      orderId: order.orderId,
      allocations: [{ lineId: '1', sourceId: 'S1', quantity: 1, reservationId }],
      batchWindowSeconds: 0,
      eventIdPrefix: 'step-crash',
    };
    const real = deps.orders;
    const crashing: FulfillmentOrderDeps = {
      ...deps,
      orders: orderRepositoryWith(real, { saveWithTimeline: () => Promise.reject(new Error('worker died')) }),
    };
    await expect(createFulfillmentOrders(crashing, input)).rejects.toThrow('worker died');
    const [stored] = await deps.fulfillmentOrders.forOrder(order.orderId);
    expect(stored!.fulfillmentOrder.pendingEffects).toHaveLength(1);
    expect(await timelineNames(order.orderId)).toEqual([]);
    expect(signals).toEqual([]);

    const retried = await createFulfillmentOrders(deps, input);
    expect(retried.created).toEqual([]);
    expect(retried.fulfillmentOrders.map((f) => f.id)).toEqual([stored!.fulfillmentOrder.id]);
    expect(retried.fulfillmentOrders[0]!.pendingEffects).toBeUndefined();
    expect((await timelineNames(order.orderId)).sort()).toEqual([
      'fulfillmentOrder:Creation of Fulfillment Order Succeeded',
      'fulfillmentOrderLine:Creation of fulfillment line succeeded',
    ]);
    expect(signals).toEqual([
      expect.objectContaining({ kind: 'start', entityId: stored!.fulfillmentOrder.id }),
    ]);
  });

  it('merges orders of one customer and ship-to within the window, never with window 0', async () => {
    const { sku, reservationId } = await stock(10, 4);
    const customer = { accountId: `C-merge-${randomUUID()}` };
    const [a, b, c] = [
      await storeOrder([['1', sku, 1]], customer),
      await storeOrder([['1', sku, 1]], customer),
      await storeOrder([['1', sku, 1]], customer),
    ];
    const allocations = [{ lineId: '1', sourceId: 'S1', quantity: 1, reservationId }];
    const first = await createFulfillmentOrders(deps, {
      orderId: a.orderId,
      allocations,
      batchWindowSeconds: 60,
      eventIdPrefix: 'a',
    });
    const apart = await createFulfillmentOrders(deps, {
      orderId: c.orderId,
      allocations,
      batchWindowSeconds: 0,
      eventIdPrefix: 'c',
    });
    expect(apart.created).toHaveLength(1);
    expect(apart.created[0]).not.toBe(first.created[0]);

    time = new Date(time.getTime() + 10_000);
    signals = [];
    const joined = await createFulfillmentOrders(deps, {
      orderId: b.orderId,
      allocations,
      batchWindowSeconds: 60,
      eventIdPrefix: 'b',
    });
    expect(joined.created).toEqual([]);
    expect(joined.joined).toEqual(first.created);
    expect(signals).toEqual([]);
    const merged = await fo(first.created[0]!);
    expect(merged.orderIds).toEqual([a.orderId, b.orderId]);
    expect(merged.lines.map((l) => l.id)).toEqual([`${a.orderId}:1`, `${b.orderId}:1`]);
    expect((await deps.fulfillmentOrders.forOrder(b.orderId)).map((v) => v.fulfillmentOrder.id)).toEqual([
      merged.id,
    ]);
    expect(await timelineNames(b.orderId)).toEqual([
      'fulfillmentOrderLine:Creation of fulfillment line succeeded',
    ]);

    // Sending waits for the window, then sends once, for both orders.
    const early = await sendFulfillmentOrders(deps, { orderId: b.orderId, eventIdPrefix: 'send-b' });
    expect(early).toEqual({ sent: [], alreadySent: [], notBefore: merged.sendAfter });
    time = new Date(Date.parse(merged.sendAfter));
    expect(await sendFulfillmentOrders(deps, { orderId: b.orderId, eventIdPrefix: 'send-b' })).toEqual({
      sent: [merged.id],
      alreadySent: [],
    });
    expect(await sendFulfillmentOrders(deps, { orderId: a.orderId, eventIdPrefix: 'send-a' })).toEqual({
      sent: [],
      alreadySent: [merged.id],
    });
    const sent = await fo(merged.id);
    expect(sent).toMatchObject({ state: 'in progress', stateReason: 'sent to fulfillment provider' });
    expect(sent.lines.map((l) => l.state)).toEqual(['in progress', 'in progress']);
    for (const order of [a, b]) {
      const stored = (await deps.orders.get(order.orderId))!;
      expect(stored.lines[0]).toMatchObject({
        state: 'fulfillment in process',
        stateReason: 'sent to fulfillment',
      });
      expect(
        (await timelineNames(order.orderId)).filter((name) => name.includes('Sent to Fulfillment'))
      ).toEqual(['orderLine:Order Line Sent to Fulfillment']);
    }
  });

  it('joins an FO that changes meanwhile by retrying on its new version', async () => {
    const { sku, reservationId } = await stock(10, 4);
    const customer = { accountId: `C-race-${randomUUID()}` };
    const orders = [
      await storeOrder([['1', sku, 1]], customer),
      await storeOrder([['1', sku, 1]], customer),
      await storeOrder([['1', sku, 1]], customer),
    ];
    const allocations = [{ lineId: '1', sourceId: 'S1', quantity: 1, reservationId }];
    const first = await createFulfillmentOrders(deps, {
      orderId: orders[0]!.orderId,
      allocations,
      batchWindowSeconds: 600,
      eventIdPrefix: 'r0',
    });
    await Promise.all(
      orders.slice(1).map((o, i) =>
        createFulfillmentOrders(deps, {
          orderId: o.orderId,
          allocations,
          batchWindowSeconds: 600,
          eventIdPrefix: `r${i + 1}`,
        })
      )
    );
    const merged = await fo(first.created[0]!);
    expect([...merged.orderIds].sort()).toEqual(orders.map((o) => o.orderId).sort());
    expect(merged.lines).toHaveLength(3);
  });
});

describe('merging orders created at the same moment', () => {
  /** The merge slots claimed by any of these orders. */
  async function slotsOf(orderIds: string[]) {
    const { resources } = await containers.orders.items
      .query<{ foId: string; openUntil: string; claimedBy: string }>({
        query:
          "SELECT * FROM c WHERE c.type = 'fulfillmentOrderMergeSlot' AND ARRAY_CONTAINS(@orderIds, c.claimedBy)",
        parameters: [{ name: '@orderIds', value: orderIds }],
      })
      .fetchAll();
    return resources;
  }

  /** `count` orders of one new customer at one address, line 1 of order i for i + 1 units. */
  async function sameCustomerOrders(count: number) {
    const { sku, reservationId } = await stock(100, (count * (count + 1)) / 2);
    const customer = { accountId: `C-slot-${randomUUID()}` };
    const orders: Order[] = [];
    for (let i = 0; i < count; i++) orders.push(await storeOrder([['1', sku, i + 1]], customer));
    const create = (o: Order, i: number, batchWindowSeconds: number) =>
      createFulfillmentOrders(deps, {
        orderId: o.orderId,
        allocations: [{ lineId: '1', sourceId: 'S1', quantity: i + 1, reservationId }],
        batchWindowSeconds,
        eventIdPrefix: `slot-${i}`,
      });
    return { orders, create, reservationId };
  }

  it('puts orders created concurrently inside the window on one FO, each line once', async () => {
    const { orders, create, reservationId } = await sameCustomerOrders(5);
    const results = await Promise.all(orders.map((o, i) => create(o, i, 2)));
    expect(results.flatMap((r) => r.created)).toHaveLength(1);
    const [foId] = results.flatMap((r) => r.created);
    expect(results.flatMap((r) => r.joined).sort()).toEqual([foId, foId, foId, foId]);
    for (const r of results) expect(r.fulfillmentOrders.map((f) => f.id)).toEqual([foId]);

    const merged = await fo(foId!);
    expect([...merged.orderIds].sort()).toEqual(orders.map((o) => o.orderId).sort());
    expect(
      merged.lines
        .map((l) => [l.orderId, l.lineId, l.quantity, l.reservations])
        .sort((a, b) => +a[2]! - +b[2]!)
    ).toEqual(orders.map((o, i) => [o.orderId, '1', i + 1, [{ reservationId, quantity: i + 1 }]]));
    expect(merged.pendingEffects).toBeUndefined();
    for (const o of orders) {
      expect((await deps.fulfillmentOrders.forOrder(o.orderId)).map((v) => v.fulfillmentOrder.id)).toEqual([
        foId,
      ]);
      expect(
        (await timelineNames(o.orderId)).filter((n) => n.startsWith('fulfillmentOrderLine:Creation'))
      ).toHaveLength(1);
    }
    expect(signals.filter((sig) => sig.kind === 'start')).toEqual([
      expect.objectContaining({ entityId: foId }),
    ]);
    expect(await slotsOf(orders.map((o) => o.orderId))).toEqual([
      expect.objectContaining({ foId, openUntil: merged.sendAfter }),
    ]);

    // A retry of every order writes nothing more.
    const again = await Promise.all(orders.map((o, i) => create(o, i, 2)));
    expect(again.flatMap((r) => [...r.created, ...r.joined])).toEqual([]);
    expect((await fo(foId!)).lines).toHaveLength(5);
  });

  it('gives every order FOs of its own with window 0, and writes no merge slot', async () => {
    const { orders, create } = await sameCustomerOrders(5);
    const results = await Promise.all(orders.map((o, i) => create(o, i, 0)));
    const created = results.flatMap((r) => r.created);
    expect(new Set(created).size).toBe(5);
    expect(results.flatMap((r) => r.joined)).toEqual([]);
    for (const [i, id] of results.map((r) => r.created[0]!).entries()) {
      expect((await fo(id)).lines.map((l) => [l.orderId, l.quantity])).toEqual([[orders[i]!.orderId, i + 1]]);
    }
    expect(await slotsOf(orders.map((o) => o.orderId))).toEqual([]);
  });

  it('starts a new FO once the window has closed, and takes the slot over for it', async () => {
    const { orders, create } = await sameCustomerOrders(3);
    const first = await create(orders[0]!, 0, 2);
    time = new Date(time.getTime() + 2_000);
    const second = await create(orders[1]!, 1, 2);
    expect(second.joined).toEqual([]);
    expect(second.created).toHaveLength(1);
    expect(second.created[0]).not.toBe(first.created[0]);
    const slots = await slotsOf(orders.map((o) => o.orderId));
    expect(slots).toEqual([
      expect.objectContaining({ foId: second.created[0], claimedBy: orders[1]!.orderId }),
    ]);
    // Inside the new window the next order joins the new FO.
    time = new Date(time.getTime() + 1_000);
    const third = await create(orders[2]!, 2, 2);
    expect(third).toMatchObject({ created: [], joined: second.created });
  });

  it('creates its own FO, saying why, when the FO a slot was claimed for is never stored', async () => {
    const { orders, create } = await sameCustomerOrders(1);
    const order = orders[0]!;
    await deps.fulfillmentOrders.createMergeSlot({
      key: mergeKeyOf({ customerKey: customerKeyOf(order), shipTo: order.shipTo, sourceId: 'S1' }),
      foId: 'FO-never-stored',
      openUntil: new Date(time.getTime() + 60_000).toISOString(),
      claimedBy: 'O-died',
    });
    const made = await create(order, 0, 120);
    expect(made.created).toHaveLength(1);
    expect(made.notMerged).toEqual([
      {
        fulfillmentOrderId: made.created[0],
        reason: expect.stringContaining('fulfillment order FO-never-stored, claimed by order O-died'),
      },
    ]);
    expect(await slotsOf([order.orderId])).toEqual([expect.objectContaining({ foId: made.created[0] })]);
  });
});

describe('concurrent runs of one order’s creation (an activity delivered twice)', () => {
  /** An order with line 1 (3 units) at S1 and line 2 (2 at S1, 1 at S2): two FOs, once each. */
  async function twoSourceOrder(batchWindowSeconds: number) {
    const { sku, reservationId } = await stock(20, 5);
    const order = await storeOrder([
      ['1', sku, 3],
      ['2', sku, 3],
    ]);
    const input = {
      orderId: order.orderId,
      allocations: [
        { lineId: '1', sourceId: 'S1', quantity: 3, reservationId },
        { lineId: '2', sourceId: 'S1', quantity: 2, reservationId },
        { lineId: '2', sourceId: 'S2', quantity: 1, reservationId: 'res-at-S2' },
      ],
      batchWindowSeconds,
      eventIdPrefix: 'step-create',
    };
    return { order, input };
  }

  /** The order's FOs as stored: source, then its lines' order line and quantity. */
  async function storedShape(orderId: string) {
    return (await deps.fulfillmentOrders.forOrder(orderId))
      .map(({ fulfillmentOrder: f }) => [f.sourceId, f.lines.map((l) => [l.lineId, l.quantity])] as const)
      .sort((a, b) => a[0].localeCompare(b[0]));
  }

  const expectedShape = [
    [
      'S1',
      [
        ['1', 3],
        ['2', 2],
      ],
    ],
    ['S2', [['2', 1]]],
  ];

  it.each([
    [2, 0],
    [5, 0],
    [2, 2],
    [5, 2],
  ])('%i calls at once with window %i create each FO once', async (calls, window) => {
    const { order, input } = await twoSourceOrder(window);
    const results = await Promise.all(
      Array.from({ length: calls }, () => createFulfillmentOrders(deps, input))
    );
    expect(await storedShape(order.orderId)).toEqual(expectedShape);
    const stored = (await deps.fulfillmentOrders.forOrder(order.orderId)).map((v) => v.fulfillmentOrder);
    const ids = stored.map((f) => f.id).sort();
    expect(results.flatMap((r) => r.created).sort()).toEqual(ids);
    for (const r of results) expect(r.fulfillmentOrders.map((f) => f.id).sort()).toEqual(ids);
    for (const f of stored) expect(f.pendingEffects).toBeUndefined();
    expect((await timelineNames(order.orderId)).filter((name) => name.includes('Creation')).sort()).toEqual([
      'fulfillmentOrder:Creation of Fulfillment Order Succeeded',
      'fulfillmentOrder:Creation of Fulfillment Order Succeeded',
      'fulfillmentOrderLine:Creation of fulfillment line succeeded',
      'fulfillmentOrderLine:Creation of fulfillment line succeeded',
      'fulfillmentOrderLine:Creation of fulfillment line succeeded',
    ]);
    expect(new Set(signals.map((sig) => sig.kind === 'start' && sig.entityId))).toEqual(new Set(ids));
  });

  it('stores the FO under the id of a claim whose run died before storing it', async () => {
    const { order, input } = await twoSourceOrder(0);
    // The dead run claimed both FOs (lines listed in any order), then stored neither.
    expect(
      await deps.fulfillmentOrders.claimCreation({
        key: creationKeyOf(order.orderId, 'S1', ['2', '1']),
        orderId: order.orderId,
        foId: 'FO-claimed-S1',
      })
    ).toBe('FO-claimed-S1');
    expect(
      await deps.fulfillmentOrders.claimCreation({
        key: creationKeyOf(order.orderId, 'S2', ['2']),
        orderId: order.orderId,
        foId: 'FO-claimed-S2',
      })
    ).toBe('FO-claimed-S2');
    // A later claim of the same key answers the first one's id.
    expect(
      await deps.fulfillmentOrders.claimCreation({
        key: creationKeyOf(order.orderId, 'S1', ['1', '2']),
        orderId: order.orderId,
        foId: 'FO-other',
      })
    ).toBe('FO-claimed-S1');

    const made = await createFulfillmentOrders(deps, input);
    expect(made.created.sort()).toEqual(['FO-claimed-S1', 'FO-claimed-S2']);
    expect(await storedShape(order.orderId)).toEqual(expectedShape);
    expect((await fo('FO-claimed-S1')).pendingEffects).toBeUndefined();
    expect(signals.map((sig) => sig.kind === 'start' && sig.entityId).sort()).toEqual([
      'FO-claimed-S1',
      'FO-claimed-S2',
    ]);
    expect(await createFulfillmentOrders(deps, input)).toMatchObject({ created: [], joined: [] });
  });
});

/** A sent FO for a new order of `quantity` units of a SKU reserved in full. */
async function sentFulfillmentOrder(quantity: number, onhand = 10, extra: Partial<Order> = {}) {
  const { sku, reservationId } = await stock(onhand, quantity);
  const order = await storeOrder([['1', sku, quantity]], undefined, extra);
  const { created } = await createFulfillmentOrders(deps, {
    orderId: order.orderId,
    allocations: [{ lineId: '1', sourceId: 'S1', quantity, reservationId }],
    batchWindowSeconds: 0,
    eventIdPrefix: 'create',
  });
  await sendFulfillmentOrders(deps, { orderId: order.orderId, eventIdPrefix: 'send' });
  signals = [];
  published = [];
  return { sku, reservationId, order, foId: created[0]! };
}

describe('status events', () => {
  const tracking = { carrier: 'UPS', number: '1Z999' };

  it('shipping consumes the reservation: onhand and softReserved go down together, once per event id', async () => {
    const journey = { instanceId: 'order-journey-1', journeyId: 'J-O', version: 2 };
    const { sku, order, foId } = await sentFulfillmentOrder(3, 10, { journey });
    expect(await measures(sku)).toMatchObject({ onhand: 10, softReserved: 3, availableToReserve: 7 });

    const part = { id: 'ship-1', type: 'shipped', lines: [{ lineId: '1', quantity: 2 }], tracking };
    const first = await recordFulfillmentOrderEvent(deps, foId, part);
    expect(first.duplicate).toBe(false);
    expect(first.fulfillmentOrder.lines[0]).toMatchObject({ shipped: 2, state: 'in progress' });
    expect(await measures(sku)).toMatchObject({ onhand: 8, softReserved: 1, availableToReserve: 7 });

    const again = await recordFulfillmentOrderEvent(deps, foId, part);
    expect(again.duplicate).toBe(true);
    expect(await measures(sku)).toMatchObject({ onhand: 8, softReserved: 1 });

    const rest = await recordFulfillmentOrderEvent(deps, foId, { id: 'ship-2', type: 'shipped', tracking });
    expect(rest.fulfillmentOrder).toMatchObject({
      state: 'completed',
      lines: [{ shipped: 3, state: 'completed' }],
    });
    expect(rest.fulfillmentOrder.shipments).toHaveLength(2);
    expect(await measures(sku)).toMatchObject({ onhand: 7, softReserved: 0, availableToReserve: 7 });

    const stored = (await deps.orders.get(order.orderId))!;
    expect(stored).toMatchObject({ state: 'completed', lines: [{ state: 'completed' }] });
    // The test clock stands still, so entries share a time and their order is the store's.
    expect(await timelineNames(order.orderId)).toEqual(
      expect.arrayContaining([
        'fulfillmentOrder:Fulfillment Order Shipped',
        'fulfillmentOrderLine:Fulfillment Order Line Shipped',
        'order:Order Fulfilled',
        'orderLine:Order Line Fulfilled',
      ])
    );
    // The order's journey hears the order-level event, the FO's journey its header event.
    expect(signals).toEqual([
      expect.objectContaining({ kind: 'event', instanceId: 'order-journey-1', event: 'Order Fulfilled' }),
      expect.objectContaining({
        kind: 'event',
        instanceId: `fulfillmentOrder:${foId}:J-FO`,
        event: 'Fulfillment Order Shipped',
      }),
    ]);
  });

  it('refuses shipping more than is left, or an event the state does not allow, and changes nothing', async () => {
    const { sku, order, foId } = await sentFulfillmentOrder(2);
    const before = await fo(foId);
    const timeline = await timelineNames(order.orderId);
    await expect(
      recordFulfillmentOrderEvent(deps, foId, {
        id: 'too-many',
        type: 'shipped',
        lines: [{ lineId: '1', quantity: 3 }],
        tracking,
      })
    ).rejects.toMatchObject({ errors: [{ path: '/lines/0/quantity' }] });
    await expect(recordFulfillmentOrderEvent(deps, foId, { type: 'shipped' })).rejects.toBeInstanceOf(
      ValidationError
    );
    await expect(recordFulfillmentOrderEvent(deps, foId, { type: 'lost' })).rejects.toMatchObject({
      errors: [{ path: '/type' }],
    });
    expect(await fo(foId)).toEqual(before);
    expect(await timelineNames(order.orderId)).toEqual(timeline);
    expect(await measures(sku)).toMatchObject({ onhand: 10, softReserved: 2 });

    // Nothing is left to pick once everything is cancelled.
    await recordFulfillmentOrderEvent(deps, foId, { id: 'cancel-all', type: 'cancelled' });
    const cancelled = await fo(foId);
    expect(cancelled.state).toBe('cancelled');
    await expect(
      recordFulfillmentOrderEvent(deps, foId, { id: 'pick', type: 'picked' })
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await fo(foId)).toEqual(cancelled);
    expect(await measures(sku)).toMatchObject({ onhand: 10, softReserved: 0 });
  });

  it('refuses a shipment inventory cannot take (onhand lowered below it) before writing anything', async () => {
    const { sku, order, foId } = await sentFulfillmentOrder(3);
    await applyInventoryChanges(inventoryDeps, [
      { id: `${sku}-lost`, sku, sourceId: 'S1', measure: 'onhand', quantity: -9 },
    ]);
    const before = await fo(foId);
    const timeline = await timelineNames(order.orderId);
    await expect(
      recordFulfillmentOrderEvent(deps, foId, { id: 'ship-short', type: 'shipped', tracking })
    ).rejects.toMatchObject({ code: 'negative-measure' });
    expect(await fo(foId)).toEqual(before);
    expect(await timelineNames(order.orderId)).toEqual(timeline);
    expect(await measures(sku)).toMatchObject({ onhand: 1, softReserved: 3 });
    // What onhand holds still ships.
    await recordFulfillmentOrderEvent(deps, foId, {
      id: 'ship-one',
      type: 'shipped',
      lines: [{ lineId: '1', quantity: 1 }],
      tracking,
    });
    expect(await measures(sku)).toMatchObject({ onhand: 0, softReserved: 2 });
  });

  it('applies concurrent events on one FO, each on the version the other left', async () => {
    const { sku, foId } = await sentFulfillmentOrder(4);
    const events = [1, 2, 3, 4].map((i) => ({
      id: `part-${i}`,
      type: 'shipped',
      lines: [{ lineId: '1', quantity: 1 }],
      tracking: { carrier: 'UPS', number: `1Z${i}` },
    }));
    await Promise.all(events.map((event) => recordFulfillmentOrderEvent(deps, foId, event)));
    const shipped = await fo(foId);
    expect(shipped).toMatchObject({ state: 'completed', lines: [{ shipped: 4 }] });
    expect(shipped.shipments).toHaveLength(4);
    expect(await measures(sku)).toMatchObject({ onhand: 6, softReserved: 0 });
  });

  it('finishes an event whose effects were interrupted when it is sent again', async () => {
    const { sku, order, foId } = await sentFulfillmentOrder(2);
    const failing: FulfillmentOrderDeps = {
      ...deps,
      inventory: { ...deps.inventory, ship: () => Promise.reject(new Error('inventory is down')) },
    };
    const event = { id: 'ship-crash', type: 'shipped', tracking };
    await expect(recordFulfillmentOrderEvent(failing, foId, event)).rejects.toThrow('inventory is down');
    expect((await fo(foId)).pendingEffects).toHaveLength(1);
    expect(await measures(sku)).toMatchObject({ onhand: 10, softReserved: 2 });

    const retried = await recordFulfillmentOrderEvent(deps, foId, event);
    expect(retried.duplicate).toBe(true);
    expect(retried.fulfillmentOrder.pendingEffects).toBeUndefined();
    expect(await measures(sku)).toMatchObject({ onhand: 8, softReserved: 0 });
    expect((await deps.orders.get(order.orderId))!.state).toBe('completed');
    await recordFulfillmentOrderEvent(deps, foId, event);
    expect(await measures(sku)).toMatchObject({ onhand: 8, softReserved: 0 });
    expect(
      (await timelineNames(order.orderId)).filter((name) => name === 'order:Order Fulfilled')
    ).toHaveLength(1);
  });
});

describe('cancelling an order’s fulfillment', () => {
  it('cancels only this order’s open lines of a merged FO and releases their reservations', async () => {
    const { sku, reservationId } = await stock(10, 5);
    const customer = { accountId: `C-cancel-${randomUUID()}` };
    const a = await storeOrder([['1', sku, 2]], customer);
    const b = await storeOrder([['1', sku, 3]], customer);
    const { created } = await createFulfillmentOrders(deps, {
      orderId: a.orderId,
      allocations: [{ lineId: '1', sourceId: 'S1', quantity: 2, reservationId }],
      batchWindowSeconds: 60,
      eventIdPrefix: 'ca',
    });
    await createFulfillmentOrders(deps, {
      orderId: b.orderId,
      allocations: [{ lineId: '1', sourceId: 'S1', quantity: 3, reservationId }],
      batchWindowSeconds: 60,
      eventIdPrefix: 'cb',
    });
    // Not sent yet: the FO's state allows no picking.
    const unsent = await fo(created[0]!);
    await expect(
      recordFulfillmentOrderEvent(deps, unsent.id, { id: 'early-pick', type: 'picked' })
    ).rejects.toBeInstanceOf(TransitionNotAllowedError);
    expect(await fo(unsent.id)).toEqual(unsent);

    const result = await cancelOrderFulfillment(deps, { orderId: a.orderId, eventIdPrefix: 'cancel-a' });
    expect(result.cancelled).toEqual([{ fulfillmentOrderId: created[0], lineId: '1', quantity: 2 }]);
    expect(await measures(sku)).toMatchObject({ onhand: 10, softReserved: 3 });
    const merged = await fo(created[0]!);
    expect(merged.state).toBe('new');
    expect(merged.lines.map((l) => [l.orderId, l.cancelled, l.state])).toEqual([
      [a.orderId, 2, 'cancelled'],
      [b.orderId, 0, 'new'],
    ]);
    expect((await deps.orders.get(a.orderId))!).toMatchObject({
      state: 'cancelled',
      lines: [{ state: 'cancelled' }],
    });
    expect((await deps.orders.get(b.orderId))!.lines[0]!.state).toBe('in progress');

    expect(await cancelOrderFulfillment(deps, { orderId: a.orderId, eventIdPrefix: 'cancel-a' })).toEqual({
      cancelled: [],
    });
    expect(await measures(sku)).toMatchObject({ softReserved: 3 });

    // The other order's lines still go out; the cancelled line is not sent.
    time = new Date(Date.parse(merged.sendAfter));
    expect(await sendFulfillmentOrders(deps, { orderId: b.orderId, eventIdPrefix: 'send-b' })).toEqual({
      sent: [merged.id],
      alreadySent: [],
    });
    expect((await fo(merged.id)).lines.map((l) => l.state)).toEqual(['cancelled', 'in progress']);
    expect((await deps.orders.get(a.orderId))!.lines[0]!.state).toBe('cancelled');
    expect((await deps.orders.get(b.orderId))!.lines[0]!.state).toBe('fulfillment in process');
  });
});

describe('raising a named event on an FO', () => {
  it('moves the header through the state framework, once per event id, and refuses what it does not allow', async () => {
    const { order, foId } = await sentFulfillmentOrder(1);
    await recordFulfillmentOrderEvent(deps, foId, { id: 'cancel', type: 'cancelled' });
    await expect(
      raiseFulfillmentOrderEvent(deps, {
        fulfillmentOrderId: foId,
        name: 'Send Fulfillment Order to Fulfillment Provider has Succeeded',
        eventId: 'resend',
      })
    ).rejects.toBeInstanceOf(TransitionNotAllowedError);

    const other = await sentFulfillmentOrder(1);
    const raised = await raiseFulfillmentOrderEvent(deps, {
      fulfillmentOrderId: other.foId,
      name: 'Fulfillment Order Picked',
      eventId: 'step-1',
    });
    expect(raised).toEqual({ fromState: 'in progress', toState: 'fulfillment in process', duplicate: false });
    expect(
      await raiseFulfillmentOrderEvent(deps, {
        fulfillmentOrderId: other.foId,
        name: 'Fulfillment Order Picked',
        eventId: 'step-1',
      })
    ).toEqual({ fromState: 'fulfillment in process', toState: 'fulfillment in process', duplicate: true });
    expect(
      (await timelineNames(other.order.orderId)).filter(
        (name) => name === 'fulfillmentOrder:Fulfillment Order Picked'
      )
    ).toHaveLength(1);
    expect(signals).toEqual([]);
    expect(published.map((e) => e.type)).toEqual(['openiom.fulfillmentOrder.fulfillment-order-picked']);
    expect(order.orderId).not.toBe(other.order.orderId);
  });
});
