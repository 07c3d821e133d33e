import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { COSMOS_EMULATOR_KEY } from '../../infra/local/services/cosmos-key';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { CosmosOrderRepository } from '../../shared/adapters/cosmos/order-repository';
import { apiClient, type Json } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { shopifyWebhookHeaders } from '../support/provider-servers/shopify-admin-server';
import { waitFor } from '../support/wait-for';

// Returns on the local host (docs/returns.md): orders carried to shipped by the default journeys,
// then returned, received, inspected and refunded over HTTP; and a Shopify refund webhook. One host
// with services of its own: the default journeys it publishes run every order of its store.
const key = 'returns-key';
let host: HostProcess;
const { call, ok } = apiClient(() => host.url, key);
const sku = 'RET-MUG';
const source = 'RET-WH';
let seq = 0;

interface ReturnView {
  id: string;
  orderId: string;
  state: string;
  returnLocation: { sourceId: string; address?: Json };
  lines: { lineId: string; quantity: number; disposition?: string; disposed: boolean }[];
  creditNoteId: string | null;
}

interface OrderView {
  orderId: string;
  lines: { lineId: string }[];
  fulfillmentOrders: { id: string }[];
  journey: { status: string; step: string | null } | null;
}

const getOrder = async (orderId: string) =>
  (await ok('GET', `/api/v1/orders/${orderId}`)) as unknown as OrderView;

async function onHand(): Promise<number> {
  const answer = await ok('POST', '/api/v1/inventory/query', { skus: [sku], sourceIds: [source] });
  return (answer.items as { measures: Record<string, number> }[])[0]?.measures.onhand ?? 0;
}

/** The order once its journey waits for shipment, then shipped in full and completed. */
async function shipped(orderId: string): Promise<OrderView> {
  const waiting = await waitFor(
    async () => {
      const order = await getOrder(orderId).catch(() => undefined);
      return order?.journey?.status === 'waiting' && order.fulfillmentOrders.length > 0 ? order : undefined;
    },
    { what: `order ${orderId} to wait for shipment`, timeoutMs: 90_000 }
  );
  for (const fo of waiting.fulfillmentOrders) {
    await ok('POST', `/api/v1/fulfillment-orders/${fo.id}/events`, {
      id: `ship-${fo.id}`,
      type: 'shipped',
      tracking: { carrier: 'UPS', number: `1Z${fo.id.slice(-8)}` },
    });
  }
  return waitFor(
    async () => {
      const order = await getOrder(orderId).catch(() => undefined);
      return order?.journey?.status === 'completed' ? order : undefined;
    },
    { what: `order ${orderId}'s journey to complete`, timeoutMs: 90_000 }
  );
}

/**
 * No route sets an order line's tax (the AvaTax step does, e2e in outbound-journey.test.ts): the test
 * writes it straight into the order document in the host's Cosmos database, once the order's journey
 * is done with it.
 */
async function setLineTax(orderId: string, lineId: string, tax: number): Promise<void> {
  const endpoint = /cosmos: (\S+)/.exec(host.stdout)?.[1];
  if (endpoint === undefined) throw new Error(`the host printed no Cosmos endpoint:\n${host.stdout}`);
  const client = createCosmosClient({ endpoint, key: COSMOS_EMULATOR_KEY });
  const { containers } = await ensureDatabaseAndContainers(client, 'openiom');
  const orders = new CosmosOrderRepository(containers.orders, { now: () => new Date() });
  const current = await orders.getForUpdate(orderId);
  const line = current!.order.lines.find((l) => l.lineId === lineId)!;
  line.tax = tax;
  await orders.saveWithTimeline(current!.order, current!.etag, []);
  client.dispose();
}

beforeAll(async () => {
  host = await startHostProcess(
    {
      ...ownServicesEnv(mkdtempSync(path.join(os.tmpdir(), 'openiom-returns-'))),
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_SEED_JOURNEYS: 'true',
    },
    90_000
  );
  await ok('PUT', `/api/v1/products/${sku}`, { name: 'Mug' });
  await ok('PUT', `/api/v1/sources/${source}`, {
    name: 'Returns warehouse',
    type: 'warehouse',
    address: { line1: '5 Dock Rd', city: 'New York', postalCode: '10001', country: 'US' },
    online: true,
    acceptsReturns: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku, sourceId: source, measure: 'onhand', quantity: 100 },
  ]);
}, 200_000);

afterAll(async () => {
  await host?.stop();
});

async function postOrder(): Promise<string> {
  seq += 1;
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId: `ret-${seq}`,
    currency: 'USD',
    customer: { email: `buyer-${seq}@example.com`, name: 'Buyer' },
    shipTo: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' },
    lines: [{ sku, quantity: 2, unitPrice: 1250 }],
  });
  return accepted.orderId as string;
}

it('returns 1 of 2 shipped units: received, inspected (restock), refunded with a credit note; on-hand +1', async () => {
  const orderId = await postOrder();
  await shipped(orderId);
  await setLineTax(orderId, '1', 205);

  // More than shipped: 400 naming the line, nothing created.
  const tooMany = await call('POST', '/api/v1/returns', {
    orderId,
    lines: [{ lineId: '1', quantity: 3, reason: 'too many' }],
  });
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.errors).toEqual([
    { path: '/lines/0/quantity', message: 'is more than the 2 shipped and not yet returned' },
  ]);

  // The same POST twice under one Idempotency-Key: one return.
  const post = () =>
    fetch(`${host.url}/api/v1/returns`, {
      method: 'POST',
      headers: {
        'x-functions-key': key,
        'content-type': 'application/json',
        'idempotency-key': `rma-${orderId}`,
      },
      body: JSON.stringify({ orderId, lines: [{ lineId: '1', quantity: 1, reason: 'chipped' }] }),
    });
  const first = await post();
  expect(first.status).toBe(201);
  const created = (await first.json()) as Json & ReturnView & { returnId: string };
  expect(created).toMatchObject({
    returnId: expect.any(String),
    duplicate: false,
    state: 'new',
    returnLocation: { sourceId: source, address: { postalCode: '10001' } },
    journey: { journeyId: 'default-return', version: 1 },
  });
  const again = (await (await post()).json()) as Json;
  expect(again).toMatchObject({ returnId: created.returnId, duplicate: true });
  const listed = (await ok('GET', `/api/v1/returns?orderId=${orderId}`)).items as ReturnView[];
  expect(listed.map((r) => r.id)).toEqual([created.returnId]);

  // Only one unit is left to return now.
  const second = await call('POST', '/api/v1/returns', {
    orderId,
    lines: [{ lineId: '1', quantity: 2, reason: 'both' }],
  });
  expect(second.status).toBe(400);
  expect(second.body.errors).toEqual([
    { path: '/lines/0/quantity', message: 'is more than the 1 shipped and not yet returned' },
  ]);

  // The return journey authorizes the return and emails the customer where to send it.
  const instructions = await waitFor(
    async () => {
      const outbox = (await ok('GET', `/api/v1/outbox?orderId=${orderId}`)).items as { templateId: string }[];
      return outbox.find((m) => m.templateId === 'return-instructions');
    },
    { what: 'the return instructions email', timeoutMs: 60_000 }
  );
  expect(JSON.stringify(instructions)).toContain('5 Dock Rd');

  const before = await onHand();
  const events = `/api/v1/returns/${created.returnId}/events`;
  // A refund before the goods arrive is refused by the state framework.
  expect((await call('POST', events, { type: 'refunded' })).status).toBe(409);
  expect(await ok('POST', events, { id: 'recv-1', type: 'received' })).toMatchObject({ state: 'received' });
  expect(
    await ok('POST', events, {
      id: 'insp-1',
      type: 'inspected',
      lines: [{ lineId: '1', disposition: 'restock' }],
    })
  ).toMatchObject({ state: 'inspected', lines: [{ lineId: '1', disposition: 'restock', disposed: false }] });
  // The journey refunds and restocks the inspected return.
  const done = await waitFor(
    async () => {
      const view = (await ok('GET', `/api/v1/returns/${created.returnId}`)) as unknown as ReturnView;
      return view.state === 'completed' && view.lines[0]!.disposed ? view : undefined;
    },
    { what: 'the return journey to refund and restock the return', timeoutMs: 60_000 }
  );
  expect(done.creditNoteId).toEqual(expect.any(String));
  // Posting the inspection and a refund again credits and restocks nothing more.
  const replay = await fetch(`${host.url}${events}`, {
    method: 'POST',
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'insp-1', type: 'inspected' }),
  });
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(await ok('POST', events, { id: 'refund-1', type: 'refunded' })).toMatchObject({
    state: 'completed',
    creditNoteId: done.creditNoteId,
  });
  expect(await onHand()).toBe(before + 1);

  const documents = (await ok('GET', `/api/v1/orders/${orderId}/invoices`)).items as Json[];
  const creditNotes = documents.filter((d) => d.type === 'creditNote');
  expect(creditNotes).toEqual([
    expect.objectContaining({
      id: done.creditNoteId,
      returnId: created.returnId,
      currency: 'USD',
      subtotal: 1250,
      taxTotal: 103, // 205 for 2 units: the first unit credited carries round(205 / 2)
      total: 1353,
      lines: [expect.objectContaining({ lineId: '1', quantity: 1, unitPrice: 1250, amount: 1250, tax: 103 })],
    }),
  ]);
  expect(documents.some((d) => d.type === 'invoice')).toBe(true);

  // The order's timeline shows the return's events and its journey's steps, to the last.
  type Entry = { kind: string; name: string; entityType: string; entityId: string };
  const ofReturn = await waitFor(
    async () => {
      const timeline = (await ok('GET', `/api/v1/orders/${orderId}/timeline`)).items as Entry[];
      const entries = timeline.filter((e) => e.entityType === 'return' && e.entityId === created.returnId);
      return entries.some((e) => e.kind === 'step' && e.name === 'Restock or write off')
        ? entries
        : undefined;
    },
    { what: 'the return journey to complete on the timeline', timeoutMs: 30_000 }
  );
  expect(ofReturn.filter((e) => e.kind === 'event').map((e) => e.name)).toEqual([
    'Return Created',
    'Return Received',
    'Return Inspected',
    'Return Refunded',
    'Return Restocked',
  ]);
  const steps = ofReturn.filter((e) => e.kind === 'step').map((e) => e.name);
  for (const step of ['Authorize return', 'Send return instructions', 'Refund', 'Restock or write off'])
    expect(steps).toContain(step);
  expect(await ok('GET', `/api/v1/returns/${created.returnId}`)).toMatchObject({ state: 'completed' });

  // A cancelled return gives its units back: the last unit can be returned again.
  const cancelled = await ok('POST', '/api/v1/returns', {
    orderId,
    lines: [{ lineId: '1', quantity: 1, reason: 'changed my mind' }],
  });
  expect(
    await ok('POST', `/api/v1/returns/${cancelled.returnId as string}/events`, { type: 'cancelled' })
  ).toMatchObject({ state: 'cancelled' });
  const reopened = await call('POST', '/api/v1/returns', {
    orderId,
    lines: [{ lineId: '1', quantity: 1, reason: 'changed my mind again' }],
  });
  expect(reopened.status).toBe(201);
}, 200_000);

it('turns a signed Shopify refunds/create webhook into a refunded, restocked return', async () => {
  const instanceId = 'shop-returns';
  const secret = 'shop-returns-secret';
  await ok('PUT', `/api/v1/provider-instances/${instanceId}`, {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: 'https://returns-e2e.myshopify.com' },
    secrets: { webhookSecret: secret },
  });
  const send = async (topic: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await fetch(`${host.url}/api/providers/${instanceId}/webhook`, {
      method: 'POST',
      headers: shopifyWebhookHeaders({ topic, body, secret, shopDomain: 'returns-e2e.myshopify.com' }),
      body,
    });
    expect(res.status).toBe(202);
  };
  await send('orders/create', {
    id: 450789469,
    currency: 'USD',
    email: 'shopper@example.com',
    customer: { first_name: 'Sam', last_name: 'Shopper' },
    shipping_address: { address1: '1 Main St', city: 'New York', zip: '10001', country_code: 'US' },
    line_items: [{ id: 466157049, sku, quantity: 2, price: '12.50' }],
  });
  const order = await waitFor(
    async () => {
      const page = await ok('GET', '/api/v1/orders?externalId=450789469');
      return (page.items as { orderId: string; channel: string }[]).find((o) => o.channel === instanceId);
    },
    { what: 'the Shopify order', timeoutMs: 60_000 }
  );
  await shipped(order.orderId);
  const before = await onHand();

  const refund = {
    id: 509562969,
    order_id: 450789469,
    note: 'it broke during shipping',
    restock: true,
    refund_line_items: [
      { id: 104689539, line_item_id: 466157049, location_id: 487838322, quantity: 1, restock_type: 'return' },
    ],
    transactions: [],
    order_adjustments: [],
  };
  await send('refunds/create', refund);
  const [orderReturn] = await waitFor(
    async () => {
      const items = (await ok('GET', `/api/v1/returns?orderId=${order.orderId}`)).items as ReturnView[];
      return items.length > 0 && items[0]!.state === 'completed' && items[0]!.lines[0]!.disposed
        ? items
        : undefined;
    },
    { what: 'the refund to become a completed return', timeoutMs: 60_000 }
  );
  expect(orderReturn).toMatchObject({
    origin: instanceId,
    externalId: '509562969',
    lines: [{ lineId: '466157049', quantity: 1, disposition: 'restock', disposed: true }],
  });
  expect(await onHand()).toBe(before + 1);
  const creditNotes = ((await ok('GET', `/api/v1/orders/${order.orderId}/invoices`)).items as Json[]).filter(
    (d) => d.type === 'creditNote'
  );
  expect(creditNotes).toEqual([
    expect.objectContaining({ returnId: orderReturn!.id, subtotal: 1250, total: 1250 }),
  ]);

  // The same refund delivered again (another webhook id): still one return.
  await send('refunds/create', refund);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await ok('GET', `/api/v1/returns?orderId=${order.orderId}`)).items).toHaveLength(1);
}, 200_000);
