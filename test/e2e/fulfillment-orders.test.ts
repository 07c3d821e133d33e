import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { CosmosFulfillmentOrderRepository } from '../../shared/adapters/cosmos/fulfillment-order-repository';
import { CosmosOrderRepository } from '../../shared/adapters/cosmos/order-repository';
import { createFulfillmentOrders } from '../../shared/app/fulfillment-orders/create-fulfillment-orders';
import type { FulfillmentOrderDeps } from '../../shared/app/fulfillment-orders/fulfillment-order-deps';
import { sendFulfillmentOrders } from '../../shared/app/fulfillment-orders/send-fulfillment-orders';
import { outOfBoxConfig } from '../../shared/domain/states/out-of-box';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';
import { checkedFetch } from '../support/openapi-contract';

// Every answer of the app is checked against its OpenAPI description.
const api = checkedFetch();

// The FO routes on the local host. No route creates FOs (a journey step does), so the test creates
// them through the use case against the Cosmos database the host uses, then works over HTTP.
const key = 'fo-key';
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = randomUUID().slice(0, 8);
const source = `FO-WH-${run}`;
const sku = `FO-SKU-${run}`;
let host: HostProcess;
let client: CosmosClient;
let deps: FulfillmentOrderDeps;
let orderId: string;
let foId: string;

async function call(method: string, route: string, body?: unknown) {
  const res = await api(`${host.url}${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function measures() {
  const answer = await call('POST', '/api/v1/inventory/query', { skus: [sku], sourceIds: [source] });
  return (answer.body.items as { measures: Record<string, number> }[])[0]!.measures;
}

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-fo-')),
  });
  const clock = { now: () => new Date() };
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  // The host's database: sharedServicesEnv sets no COSMOS_DATABASE, so it is the default.
  const { containers } = await ensureDatabaseAndContainers(client, 'openiom');
  deps = {
    fulfillmentOrders: new CosmosFulfillmentOrderRepository(containers.orders, clock),
    orders: new CosmosOrderRepository(containers.orders, clock),
    publisher: { publish: () => Promise.resolve() },
    signals: { send: () => Promise.resolve() },
    journeysInForce: { refFor: () => Promise.resolve(undefined) },
    // Creating and sending move no inventory.
    inventory: {
      ship: () => Promise.reject(new Error('unused')),
      release: () => Promise.reject(new Error('unused')),
      check: () => Promise.reject(new Error('unused')),
    },
    config: outOfBoxConfig(),
    ids: { newId: () => `FO-${randomUUID()}` },
    clock,
    validateEvent: () => {
      throw new Error('unused');
    },
  };

  expect(
    (
      await call('PUT', `/api/v1/sources/${source}`, {
        name: source,
        type: 'warehouse',
        address: { postalCode: '98052', country: 'US' },
        location: { lat: 47.67, lon: -122.12 },
        online: true,
      })
    ).status
  ).toBe(201);
  expect((await call('PUT', `/api/v1/products/${sku}`, { name: sku })).status).toBe(201);
  await call('POST', '/api/v1/inventory/onhand/bulk', [
    { id: `${run}-in`, sku, sourceId: source, measure: 'onhand', quantity: 10 },
  ]);
  expect(
    (
      await call('POST', '/api/v1/inventory/reserve', {
        id: `res-${run}`,
        sku,
        sourceId: source,
        quantity: 3,
      })
    ).status
  ).toBe(201);

  const accepted = await call('POST', '/api/v1/orders', {
    externalId: `fo-${run}`,
    currency: 'USD',
    customer: { accountId: `C-${run}` },
    shipTo: { postalCode: '98052', country: 'US' },
    lines: [{ sku, quantity: 3 }],
  });
  orderId = accepted.body.orderId as string;
  await waitFor(async () => (await call('GET', `/api/v1/orders/${orderId}`)).status === 200, {
    what: 'the order',
  });
  // No journey runs yet: the order is validated by hand so that it may be sent to fulfillment.
  for (const event of [
    { name: 'Validation of Order Header has Succeeded', entityType: 'order', entityId: orderId },
    { name: 'Validation of Order Line has Succeeded', entityType: 'orderLine', entityId: '1', orderId },
  ]) {
    expect((await call('POST', '/api/v1/events', event)).status).toBe(201);
  }
  const { created } = await createFulfillmentOrders(deps, {
    orderId,
    allocations: [{ lineId: '1', sourceId: source, quantity: 3, reservationId: `res-${run}` }],
    batchWindowSeconds: 0,
    eventIdPrefix: `e2e-${run}`,
  });
  foId = created[0]!;
  expect(await sendFulfillmentOrders(deps, { orderId, eventIdPrefix: `e2e-${run}` })).toEqual({
    sent: [foId],
    alreadySent: [],
  });
});

afterAll(async () => {
  await host?.stop();
  client?.dispose();
});

it('shows the FO by id, in listings and on its order', async () => {
  const one = await call('GET', `/api/v1/fulfillment-orders/${foId}`);
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({
    id: foId,
    sourceId: source,
    state: 'in progress',
    orderIds: [orderId],
    lines: [{ orderId, lineId: '1', sku, quantity: 3, state: 'in progress', shipped: 0 }],
    shipments: [],
  });
  const byOrder = await call('GET', `/api/v1/fulfillment-orders?orderId=${orderId}`);
  expect((byOrder.body.items as { id: string }[]).map((f) => f.id)).toEqual([foId]);
  const bySource = await call('GET', `/api/v1/fulfillment-orders?sourceId=${source}&state=in%20progress`);
  expect((bySource.body.items as { id: string }[]).map((f) => f.id)).toEqual([foId]);
  const none = await call('GET', `/api/v1/fulfillment-orders?sourceId=${source}&state=completed`);
  expect(none.body.items).toEqual([]);
  const order = await call('GET', `/api/v1/orders/${orderId}`);
  expect(order.body.fulfillmentOrders).toEqual([
    { id: foId, sourceId: source, state: 'in progress', lines: [{ lineId: '1', sku, quantity: 3 }] },
  ]);
  expect(order.body.journey).toBeNull();

  const missing = await call('GET', '/api/v1/fulfillment-orders/no-such-fo');
  expect(missing).toMatchObject({
    status: 404,
    contentType: expect.stringContaining('application/problem+json'),
  });
  const badTop = await call('GET', '/api/v1/fulfillment-orders?top=0');
  expect(badTop).toMatchObject({ status: 400, body: { errors: [{ path: '/top' }] } });
});

it('refuses bad events with problem+json naming the paths, changing nothing', async () => {
  const before = (await call('GET', `/api/v1/fulfillment-orders/${foId}`)).body;
  const stock = await measures();
  const cases: [unknown, number, string][] = [
    [{ type: 'lost' }, 400, '/type'],
    [{ type: 'shipped', tracking: { carrier: 'UPS' } }, 400, '/tracking/number'],
    [
      { type: 'shipped', lines: [{ lineId: '1', quantity: 4 }], tracking: { carrier: 'UPS', number: '1Z' } },
      400,
      '/lines/0/quantity',
    ],
    [{ type: 'picked', lines: [{ lineId: '9' }] }, 400, '/lines/0/lineId'],
    [{ type: 'picked', extra: true }, 400, '/extra'],
  ];
  for (const [body, status, pathName] of cases) {
    const answer = await call('POST', `/api/v1/fulfillment-orders/${foId}/events`, body);
    expect(answer).toMatchObject({
      status,
      contentType: expect.stringContaining('application/problem+json'),
    });
    expect((answer.body.errors as { path: string }[]).map((e) => e.path)).toContain(pathName);
  }
  const unknown = await call('POST', '/api/v1/fulfillment-orders/no-such-fo/events', { type: 'picked' });
  expect(unknown.status).toBe(404);
  expect((await call('GET', `/api/v1/fulfillment-orders/${foId}`)).body).toEqual(before);
  expect(await measures()).toEqual(stock);
});

it('ships with tracking: the FO and the order complete, onhand and softReserved go down together, once', async () => {
  expect(await measures()).toMatchObject({ onhand: 10, softReserved: 3 });
  const event = {
    id: `ship-${run}`,
    type: 'shipped',
    tracking: { carrier: 'UPS', number: '1Z999', url: 'https://t/1' },
  };
  const shipped = await call('POST', `/api/v1/fulfillment-orders/${foId}/events`, event);
  expect(shipped.status).toBe(200);
  expect(shipped.body).toMatchObject({
    state: 'completed',
    lines: [{ shipped: 3, state: 'completed' }],
    shipments: [
      { carrier: 'UPS', trackingNumber: '1Z999', url: 'https://t/1', lines: [{ lineId: '1', quantity: 3 }] },
    ],
  });
  expect(await measures()).toMatchObject({ onhand: 7, softReserved: 0 });
  const again = await call('POST', `/api/v1/fulfillment-orders/${foId}/events`, event);
  expect(again.status).toBe(200);
  expect(await measures()).toMatchObject({ onhand: 7, softReserved: 0 });
  const order = await call('GET', `/api/v1/orders/${orderId}`);
  expect(order.body).toMatchObject({ state: 'completed', lines: [{ state: 'completed' }] });

  const cancelled = await call('POST', `/api/v1/fulfillment-orders/${foId}/events`, { type: 'cancelled' });
  expect(cancelled).toMatchObject({ status: 400, body: { errors: [{ path: '/lines' }] } });
});

it('answers 409 problem+json for an event the FO’s state does not allow, changing nothing', async () => {
  const accepted = await call('POST', '/api/v1/orders', {
    externalId: `fo-unsent-${run}`,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '98052', country: 'US' },
    lines: [{ sku, quantity: 1 }],
  });
  const unsentOrder = accepted.body.orderId as string;
  await waitFor(async () => (await call('GET', `/api/v1/orders/${unsentOrder}`)).status === 200, {
    what: 'the second order',
  });
  const { created } = await createFulfillmentOrders(deps, {
    orderId: unsentOrder,
    allocations: [{ lineId: '1', sourceId: source, quantity: 1, reservationId: `res-unsent-${run}` }],
    batchWindowSeconds: 0,
    eventIdPrefix: `e2e-unsent-${run}`,
  });
  const before = (await call('GET', `/api/v1/fulfillment-orders/${created[0]}`)).body;
  expect(before).toMatchObject({ state: 'new', sentAt: null });
  const refused = await call('POST', `/api/v1/fulfillment-orders/${created[0]}/events`, {
    id: 'early',
    type: 'shipped',
    tracking: { carrier: 'UPS', number: '1Z' },
  });
  expect(refused).toMatchObject({
    status: 409,
    contentType: expect.stringContaining('application/problem+json'),
    body: { currentState: 'new', event: 'Fulfillment Order Shipped' },
  });
  expect((await call('GET', `/api/v1/fulfillment-orders/${created[0]}`)).body).toEqual(before);
});
