import { createHmac, randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import {
  adobeCommerceOrders,
  startAdobeCommerceServer,
  type AdobeCommerceServer,
} from '../support/provider-servers/adobe-commerce-server';
import {
  bigCommerceOrders,
  bigCommerceWebhook,
  startBigCommerceServer,
  type BigCommerceServer,
} from '../support/provider-servers/bigcommerce-server';
import {
  orderfulPurchaseOrders,
  purchaseOrder850,
  startOrderfulServer,
  type OrderfulServer,
} from '../support/provider-servers/orderful-server';
import { readProviderPayload } from '../support/provider-servers/request-log';
import { shopifyWebhookHeaders } from '../support/provider-servers/shopify-admin-server';
import { waitFor } from '../support/wait-for';

/**
 * Every built-in provider end to end on the local host: a provider's real payload (a signed webhook,
 * or what a poller reads from the local stand-in of the provider's API) becomes the right order, and
 * what must not become an order (a bad signature, a missing mapping until it is fixed) does not.
 */

const key = 'providers-e2e-key';
const run = Date.now().toString(36);
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
/** Queue work on a loaded CI machine: generous, the happy path takes a second. */
const queueMs = 30_000;
/** Numeric provider ids unique to this run (below 2^53), as the stores send them. */
const idBase = Date.now() * 100;

let host: HostProcess;
let bigCommerce: BigCommerceServer;
let adobe: AdobeCommerceServer;
let orderful: OrderfulServer;
/** Instances the pollers would otherwise keep polling after this file (the services are shared). */
const pollingInstances = new Map<string, Record<string, unknown>>();

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
  text: string;
}

async function call(method: string, route: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${host.url}/api/${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return answerOf(res);
}

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the test reads `text`.
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, text };
}

async function put(route: string, body: unknown): Promise<Answer> {
  const answer = await call('PUT', route, body);
  if (answer.status >= 300) throw new Error(`PUT ${route}: ${answer.status} ${answer.text}`);
  return answer;
}

async function products(...skus: string[]): Promise<void> {
  for (const sku of skus) await put(`v1/products/${encodeURIComponent(sku)}`, { name: sku });
}

async function webhook(instanceId: string, body: string | Buffer, sent: Record<string, string>) {
  const res = await fetch(`${host.url}/api/providers/${encodeURIComponent(instanceId)}/webhook`, {
    method: 'POST',
    headers: sent,
    body,
  });
  return answerOf(res);
}

interface OrderView {
  orderId: string;
  externalId: string;
  channel: string;
  currency: string;
  customer: Record<string, unknown>;
  shipTo: Record<string, unknown>;
  lines: { lineId: string; sku: string; quantity: number; unitPrice?: number }[];
  state: string;
}

/** The orders of one instance with one external id (other runs' instances may reuse external ids). */
async function ordersOf(externalId: string, channel: string): Promise<OrderView[]> {
  const list = await call('GET', `v1/orders?externalId=${encodeURIComponent(externalId)}`);
  if (list.status !== 200) throw new Error(`GET orders: ${list.status} ${list.text}`);
  return (list.body.items as OrderView[]).filter((order) => order.channel === channel);
}

async function errorsOf(instanceId: string): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    const page = await call(
      'GET',
      `v1/errors?list=provider-inbound&top=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`
    );
    if (page.status !== 200) throw new Error(`GET errors: ${page.status} ${page.text}`);
    entries.push(...(page.body.items as Record<string, unknown>[]));
    token = page.body.continuationToken as string | undefined;
  } while (token);
  return entries.filter((entry) => entry.source === instanceId);
}

/** An instance's error entries without their payloads, for a failure's log. */
async function errorsText(instanceId: string): Promise<string> {
  const entries = await errorsOf(instanceId);
  return JSON.stringify(entries.map(({ payload: _payload, ...entry }) => entry)).slice(0, 4000);
}

/** Waits for the order, and answers it as GET /api/v1/orders/{id} shows it. */
async function orderOf(externalId: string, channel: string): Promise<OrderView> {
  const found = await waitFor(
    async () => {
      const orders = await ordersOf(externalId, channel);
      return orders.length > 0 ? orders : undefined;
    },
    { timeoutMs: queueMs, intervalMs: 200, what: `order ${externalId} of ${channel}` }
  ).catch(async (err) => {
    console.log(host.stderr().slice(-4000), await errorsText(channel));
    throw err;
  });
  expect(found).toHaveLength(1);
  const order = await call('GET', `v1/orders/${found[0]!.orderId}`);
  expect(order.status).toBe(200);
  return order.body as unknown as OrderView;
}

/** Lines in a comparable order (by line id). */
function linesOf(order: OrderView) {
  return order.lines
    .map(({ lineId, sku, quantity, unitPrice }) => ({ lineId, sku, quantity, unitPrice }))
    .sort((a, b) => a.lineId.localeCompare(b.lineId));
}

type ShopifyOrder = Record<string, unknown> & { line_items: Record<string, unknown>[] };

/** The published Shopify order fixture (a webhook body is the order without the envelope). */
function shopifyFixture(id: number): ShopifyOrder {
  const { order } = JSON.parse(readProviderPayload('shopify/rest-order.shopify-api-ruby-fixture.json')) as {
    order: ShopifyOrder;
  };
  return { ...order, id };
}

function shopifySend(instanceId: string, topic: string, body: string, secret: string, webhookId?: string) {
  return webhook(
    instanceId,
    body,
    shopifyWebhookHeaders({
      topic,
      body,
      secret,
      shopDomain: 'openiom-e2e.myshopify.com',
      ...(webhookId === undefined ? {} : { webhookId }),
    })
  );
}

function openiomSignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const shopifyId = `shop-${run}`;
const shopifySecret = `shopify-secret-${run}`;
const shopifyGroup = `shop-map-${run}`;
const greenSku = `GREEN-${run}`;
const shopifyMappings = [{ type: 'sku', external: 'IPOD2008GREEN', internal: greenSku }];

beforeAll(async () => {
  [host, bigCommerce, adobe, orderful] = await Promise.all([
    startHostProcess({
      ...sharedServicesEnv(),
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-providers-')),
    }),
    startBigCommerceServer({
      storeHash: `store${run}`,
      orders: bigCommerceOrders(1, { startId: (Date.now() % 1_000_000_000) + 1 }),
    }),
    startAdobeCommerceServer({
      orders: adobeCommerceOrders(2, { startId: (Date.now() % 1_000_000_000) + 1 }),
    }),
    startOrderfulServer({
      transactions: orderfulPurchaseOrders(1, { startId: (Date.now() % 1_000_000_000) + 1 }).map((t) => ({
        ...t,
        businessNumber: `PO-${run}`,
        message: { transactionSets: [purchaseOrder850(`PO-${run}`)] },
      })),
    }),
  ]);
  await products('IPOD2008RED', 'IPOD2008BLACK', greenSku);
  await put(`v1/mapping-groups/${shopifyGroup}`, { name: 'Shopify SKUs', mappings: shopifyMappings });
  const created = await call('PUT', `v1/provider-instances/${shopifyId}`, {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: 'https://openiom-e2e.myshopify.com' },
    secrets: { webhookSecret: shopifySecret },
    mappingGroupId: shopifyGroup,
  });
  expect([created.status, created.text]).toEqual([201, expect.any(String)]);
}, 90_000);

afterAll(async () => {
  // The next test file's hosts would keep polling these (and fail: the servers are gone).
  for (const [id, body] of pollingInstances) {
    await call('PUT', `v1/provider-instances/${id}`, { ...body, active: false }).catch(() => undefined);
  }
  await host?.stop();
  await Promise.all([bigCommerce?.close(), adobe?.close(), orderful?.close()]);
});

describe('every built-in provider: a real payload in, the right order out', () => {
  const shopifyOrderId = idBase + 1;

  it('Shopify: a signed orders/create webhook, then orders/cancelled for it', async () => {
    const body = JSON.stringify(shopifyFixture(shopifyOrderId));
    const accepted = await shopifySend(shopifyId, 'orders/create', body, shopifySecret);
    expect([accepted.status, accepted.body]).toEqual([
      202,
      expect.objectContaining({ duplicate: false, messageType: 'orders/create' }),
    ]);
    const order = await orderOf(String(shopifyOrderId), shopifyId);
    expect(order).toMatchObject({
      externalId: String(shopifyOrderId),
      channel: shopifyId,
      currency: 'USD',
      customer: { email: 'bob.norman@hostmail.com', name: 'Bob Norman', accountId: '207119551' },
      shipTo: {
        line1: 'Chestnut Street 92',
        city: 'Louisville',
        state: 'KY',
        postalCode: '40202',
        country: 'US',
        lat: 45.41634,
        lon: -75.6868,
      },
      state: 'new',
    });
    expect(order.shipTo.line2).toBeUndefined();
    expect(linesOf(order)).toEqual([
      { lineId: '466157049', sku: greenSku, quantity: 1, unitPrice: 19900 },
      { lineId: '518995019', sku: 'IPOD2008RED', quantity: 1, unitPrice: 19900 },
      { lineId: '703073504', sku: 'IPOD2008BLACK', quantity: 1, unitPrice: 19900 },
    ]);

    const cancelledBody = JSON.stringify({
      ...shopifyFixture(shopifyOrderId),
      cancelled_at: new Date().toISOString(),
      cancel_reason: 'customer',
    });
    const cancelled = await shopifySend(shopifyId, 'orders/cancelled', cancelledBody, shopifySecret);
    expect(cancelled.status).toBe(202);
    const final = await waitFor(
      async () => {
        const seen = await call('GET', `v1/orders/${order.orderId}`);
        return seen.body.state === 'cancelled' ? seen.body : undefined;
      },
      { timeoutMs: queueMs, intervalMs: 200, what: 'the cancelled order' }
    ).catch(async (err) => {
      console.log(await errorsText(shopifyId));
      throw err;
    });
    expect(final).toMatchObject({ orderId: order.orderId, state: 'cancelled' });
    expect(await ordersOf(String(shopifyOrderId), shopifyId)).toHaveLength(1);
  });

  it('BigCommerce: a thin store/order/created webhook, the order read back from the API', async () => {
    const instanceId = `bc-${run}`;
    const secret = `bc-secret-${run}`;
    const record = bigCommerce.orders[0]!;
    const orderId = record.order.id;
    await products('S-ORAN', 'ABS');
    await put(`v1/provider-instances/${instanceId}`, {
      provider: 'bigcommerce',
      active: true,
      parameters: { apiUrl: bigCommerce.url, storeHash: bigCommerce.storeHash, webhookHeader: 'X-Bc-Secret' },
      secrets: { accessToken: bigCommerce.accessToken, webhookSecret: secret },
    });
    const body = bigCommerceWebhook('store/order/created', orderId, bigCommerce.storeHash);
    const accepted = await webhook(instanceId, body, {
      'content-type': 'application/json',
      'X-Bc-Secret': secret,
    });
    expect([accepted.status, accepted.body.messageType]).toEqual([202, 'store/order/created']);

    const order = await orderOf(String(orderId), instanceId);
    expect(order).toMatchObject({
      externalId: String(orderId),
      channel: instanceId,
      currency: 'USD',
      customer: { email: 'janedoe@example.com', name: 'Jane Doe', accountId: '11' },
      // The first shipping address, not the billing one.
      shipTo: {
        line1: '666 Sussex St',
        city: 'San Antonio',
        state: 'Texas',
        postalCode: '78251',
        country: 'US',
      },
    });
    expect(linesOf(order)).toEqual([
      { lineId: String(orderId * 10), sku: 'S-ORAN', quantity: 1, unitPrice: 5599 },
      { lineId: String(orderId * 10 + 1), sku: 'ABS', quantity: 1, unitPrice: 0 },
    ]);
    const prefix = `/stores/${bigCommerce.storeHash}/v2/orders/${orderId}`;
    const fetched = bigCommerce.requests.filter((r) => r.path.startsWith(prefix));
    expect(fetched.map((r) => `${r.method} ${r.path} ${r.status}`).sort()).toEqual(
      [`GET ${prefix} 200`, `GET ${prefix}/products 200`, `GET ${prefix}/shipping_addresses 200`].sort()
    );
    expect(fetched.every((r) => r.headers['x-auth-token'] === bigCommerce.accessToken)).toBe(true);
  });

  it('Adobe Commerce: a polling instance takes the store’s orders and moves its checkpoint', async () => {
    const instanceId = `adobe-${run}`;
    const startedAt = Date.now();
    await products(
      'WS12-M-Orange',
      '240-LV08',
      '24-WG082-blue',
      '24-WG084',
      '24-WG086',
      '24-WG088',
      'MH01-S-Gray'
    );
    const body = {
      provider: 'adobe-commerce',
      active: true,
      parameters: { baseUrl: adobe.url, polling: true, pollIntervalSeconds: 1 },
      secrets: { accessToken: adobe.token },
    };
    pollingInstances.set(instanceId, body);
    await put(`v1/provider-instances/${instanceId}`, body);

    for (const source of adobe.orders) {
      const id = source.entity_id;
      const order = await orderOf(String(id), instanceId);
      expect(order).toMatchObject({
        externalId: String(id),
        channel: instanceId,
        currency: 'USD',
        customer: { email: 'jdoe@example.com', name: 'Jane Doe' },
        shipTo: { line1: '123 Oak Ave', city: 'Purchase', state: 'NY', postalCode: '10577', country: 'US' },
      });
      // Bundle children are the lines (not the bundle); a configurable is one line with its child's sku.
      expect(linesOf(order)).toEqual(
        [
          { lineId: String(id * 100 + 3), sku: 'WS12-M-Orange', quantity: 1, unitPrice: 2200 },
          { lineId: String(id * 100 + 4), sku: '240-LV08', quantity: 1, unitPrice: 1800 },
          { lineId: String(id * 100 + 6), sku: '24-WG082-blue', quantity: 1, unitPrice: 2700 },
          { lineId: String(id * 100 + 7), sku: '24-WG084', quantity: 1, unitPrice: 500 },
          { lineId: String(id * 100 + 8), sku: '24-WG086', quantity: 1, unitPrice: 1700 },
          { lineId: String(id * 100 + 9), sku: '24-WG088', quantity: 1, unitPrice: 1900 },
          { lineId: String(id * 100 + 10), sku: 'MH01-S-Gray', quantity: 1, unitPrice: 5200 },
        ].sort((a, b) => a.lineId.localeCompare(b.lineId))
      );
    }
    const seen = await call('GET', `v1/provider-instances/${instanceId}`);
    const polling = seen.body.polling as { since?: string; lastRunEndedAt?: string; lastError?: string };
    expect(polling).toEqual(expect.objectContaining({ since: expect.any(String) }));
    expect(polling.lastError).toBeUndefined();
    // Magento's "YYYY-MM-DD HH:MM:SS" UTC: the window's end, a second before the run started.
    expect(Date.parse(`${polling.since!.replace(' ', 'T')}Z`)).toBeGreaterThanOrEqual(startedAt - 2000);
    expect(adobe.requests.some((r) => r.path === '/rest/default/V1/orders' && r.status === 200)).toBe(true);
  });

  it('Orderful: a polling instance turns the bucket’s 850 into an order and approves its delivery', async () => {
    const instanceId = `orderful-${run}`;
    const group = `orderful-map-${run}`;
    const transactionId = orderful.transactions[0]!.id;
    await products(`ANVIL-${run}`, `DETONATOR-${run}`);
    await put(`v1/mapping-groups/${group}`, {
      mappings: [
        { type: 'sku', external: 'ACM/8900-400', internal: `ANVIL-${run}` },
        { type: 'sku', external: 'ACM/1100-001', internal: `DETONATOR-${run}` },
      ],
    });
    const body = {
      provider: 'orderful',
      active: true,
      parameters: {
        apiUrl: orderful.url,
        bucketId: orderful.bucketId,
        polling: true,
        pollIntervalSeconds: 1,
      },
      secrets: { apiKey: orderful.apiKey },
      mappingGroupId: group,
    };
    pollingInstances.set(instanceId, body);
    await put(`v1/provider-instances/${instanceId}`, body);

    const order = await orderOf(`PO-${run}`, instanceId);
    expect(order).toMatchObject({
      externalId: `PO-${run}`,
      channel: instanceId,
      currency: 'USD',
      customer: { name: 'Wile E Coyote' },
      shipTo: { line1: '111 Canyon Court', city: 'Phoenix', state: 'AZ', postalCode: '85001', country: 'US' },
    });
    expect(linesOf(order)).toEqual([
      { lineId: 'item-1', sku: `ANVIL-${run}`, quantity: 8, unitPrice: 40000 },
      { lineId: 'item-2', sku: `DETONATOR-${run}`, quantity: 4, unitPrice: 12500 },
    ]);
    await waitFor(() => orderful.transactions.length === 0, {
      timeoutMs: queueMs,
      what: 'the bucket to be empty',
    });
    expect(orderful.approved).toEqual([transactionId]);
    expect(orderful.failed).toEqual([]);
  });

  it('generic-json: a user transformation, previewed without effect, then a signed webhook', async () => {
    const instanceId = `json-${run}`;
    const transformationId = `json-order-${run}`;
    const secret = `json-secret-${run}`;
    await products(`ART-A-${run}`, `ART-B-${run}`);
    const expression = `{
      "externalId": orderRef,
      "currency": ccy,
      "customer": { "email": buyer.mail, "name": buyer.fullName, "accountId": buyer.number },
      "shipTo": {
        "line1": deliverTo.street, "city": deliverTo.town, "postalCode": deliverTo.zip, "country": deliverTo.land
      },
      "lines": [items.{
        "lineId": $string(pos),
        "sku": $mapValue('sku', article),
        "quantity": count,
        "unitPrice": $toMinor(price, $$.ccy)
      }]
    }`;
    const saved = await put(`v1/transformations/${transformationId}`, {
      messageType: 'order',
      provider: 'generic-json',
      description: 'Our shop system’s order shape',
      expression,
    });
    expect(saved.status).toBe(201);
    await put(`v1/provider-instances/${instanceId}`, {
      provider: 'generic-json',
      active: true,
      secrets: { webhookSecret: secret },
      transformations: { order: transformationId },
    });
    const sample = (ref: string, article: string) => ({
      orderRef: ref,
      ccy: 'EUR',
      buyer: { mail: 'erika@example.de', fullName: 'Erika Mustermann', number: 'C-77' },
      deliverTo: { street: 'Hauptstraße 5', town: 'Köln', zip: '50667', land: 'DE' },
      items: [
        { pos: 1, article, count: 2, price: '12.50' },
        { pos: 2, article: `ART-B-${run}`, count: 1, price: 0.1 },
      ],
    });
    const expectedOrder = (ref: string) => ({
      externalId: ref,
      currency: 'EUR',
      customer: { email: 'erika@example.de', name: 'Erika Mustermann', accountId: 'C-77' },
      shipTo: { line1: 'Hauptstraße 5', city: 'Köln', postalCode: '50667', country: 'DE' },
    });
    const expectedLines = [
      { lineId: '1', sku: `ART-A-${run}`, quantity: 2, unitPrice: 1250 },
      { lineId: '2', sku: `ART-B-${run}`, quantity: 1, unitPrice: 10 },
    ];

    const previewRef = `GJ-PREVIEW-${run}`;
    const preview = await call('POST', 'v1/transformations/preview', {
      messageType: 'order',
      transformation: expression,
      instanceId,
      sample: sample(previewRef, `ART-A-${run}`),
    });
    expect([preview.status, preview.body.errors]).toEqual([200, []]);
    expect(preview.body.output).toMatchObject({ ...expectedOrder(previewRef), lines: expectedLines });
    const unknownSku = `NOPE-${run}`;
    const bad = await call('POST', 'v1/transformations/preview', {
      messageType: 'order',
      transformation: expression,
      instanceId,
      sample: { ...sample(previewRef, unknownSku), deliverTo: { street: 'x', land: 'DE' } },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: expect.stringContaining(`"${unknownSku}"`) }),
        expect.objectContaining({ path: expect.stringMatching(/^\/output\/shipTo/) }),
      ])
    );

    const ref = `GJ-${run}`;
    const raw = JSON.stringify(sample(ref, `ART-A-${run}`));
    const accepted = await webhook(instanceId, raw, {
      'content-type': 'application/json',
      'X-Openiom-Signature': openiomSignature(raw, secret),
      'X-Openiom-Delivery-Id': randomUUID(),
    });
    expect([accepted.status, accepted.body.messageType]).toEqual([202, 'order']);
    const order = await orderOf(ref, instanceId);
    expect(order).toMatchObject({ ...expectedOrder(ref), channel: instanceId });
    expect(linesOf(order)).toEqual(expectedLines);
    // The queue has worked since the preview: still no order and no error from it.
    expect(await ordersOf(previewRef, instanceId)).toEqual([]);
    expect(await errorsOf(instanceId)).toEqual([]);
  });

  it('an order id beyond 2^53 is kept digit for digit', async () => {
    const marker = `big-id-${run}`;
    const body = JSON.stringify({ ...shopifyFixture(0), id: marker }).replace(
      `"id":"${marker}"`,
      '"id":12345678901234567891'
    );
    expect(body).toContain('"id":12345678901234567891,');
    expect((await shopifySend(shopifyId, 'orders/create', body, shopifySecret)).status).toBe(202);
    const order = await orderOf('12345678901234567891', shopifyId);
    expect(order.externalId).toBe('12345678901234567891');
    expect(order.lines).toHaveLength(3);
  });
  it('a webhook body too large to travel in the queue message becomes an order too', async () => {
    const id = idBase + 2;
    const body = JSON.stringify({ ...shopifyFixture(id), note: 'gift wrap, please. '.repeat(4000) });
    expect(body.length).toBeGreaterThan(64_000);
    expect((await shopifySend(shopifyId, 'orders/create', body, shopifySecret)).status).toBe(202);
    const order = await orderOf(String(id), shopifyId);
    expect(linesOf(order).map((line) => line.sku)).toEqual([greenSku, 'IPOD2008RED', 'IPOD2008BLACK']);
  });
});

describe('signatures', () => {
  it('refuses a bad signature with 401 and stores nothing; unknown and inactive instances are 404', async () => {
    const send = (
      id: number,
      mutate: (h: Record<string, string>, body: string) => [Record<string, string>, string]
    ) => {
      const body = JSON.stringify(shopifyFixture(id));
      const sent = shopifyWebhookHeaders({
        topic: 'orders/create',
        body,
        secret: shopifySecret,
        shopDomain: 'openiom-e2e.myshopify.com',
      });
      const [h, b] = mutate(sent, body);
      return webhook(shopifyId, b, h).then((answer) => ({
        answer,
        webhookId: sent['X-Shopify-Webhook-Id']!,
      }));
    };
    const wrongSecret = idBase + 11;
    const missingHeader = idBase + 12;
    const altered = idBase + 13;
    const refused = await Promise.all([
      send(wrongSecret, (h, b) => [
        shopifyWebhookHeaders({
          topic: 'orders/create',
          body: b,
          secret: 'not-the-secret',
          shopDomain: 'openiom-e2e.myshopify.com',
          webhookId: h['X-Shopify-Webhook-Id']!,
        }),
        b,
      ]),
      send(missingHeader, (h, b) => {
        const { 'X-Shopify-Hmac-Sha256': _dropped, ...rest } = h;
        return [rest, b];
      }),
      // One byte changed after signing: the quantity of the first line, 1 → 2.
      send(altered, (h, b) => {
        const changed = b.replace('"quantity":1', '"quantity":2');
        expect(changed).not.toBe(b);
        expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(b));
        return [h, changed];
      }),
    ]);
    for (const { answer } of refused) {
      expect([answer.status, answer.contentType, answer.body.status]).toEqual([
        401,
        'application/problem+json',
        401,
      ]);
    }

    // The same for the other webhook providers' checks.
    const json = `json-sig-${run}`;
    await put(`v1/provider-instances/${json}`, {
      provider: 'generic-json',
      active: true,
      secrets: { webhookSecret: 'right' },
    });
    const jsonBody = JSON.stringify({ externalId: `SIG-${run}` });
    const jsonRefused = await webhook(json, jsonBody, {
      'X-Openiom-Signature': openiomSignature(jsonBody, 'wrong'),
      'X-Openiom-Delivery-Id': randomUUID(),
    });
    expect([jsonRefused.status, jsonRefused.contentType]).toEqual([401, 'application/problem+json']);
    const bc = `bc-sig-${run}`;
    await put(`v1/provider-instances/${bc}`, {
      provider: 'bigcommerce',
      active: true,
      parameters: { apiUrl: bigCommerce.url, storeHash: bigCommerce.storeHash },
      secrets: { accessToken: bigCommerce.accessToken, webhookSecret: 'right' },
    });
    const bcRefused = await webhook(bc, bigCommerceWebhook('store/order/created', 1, bigCommerce.storeHash), {
      'X-Webhook-Secret': 'wrong',
    });
    expect([bcRefused.status, bcRefused.contentType]).toEqual([401, 'application/problem+json']);

    const valid = idBase + 14;
    const body = JSON.stringify(shopifyFixture(valid));
    expect((await shopifySend(`nobody-${run}`, 'orders/create', body, shopifySecret)).status).toBe(404);
    const inactive = `shop-off-${run}`;
    await put(`v1/provider-instances/${inactive}`, {
      provider: 'shopify',
      active: false,
      parameters: { shopUrl: 'https://openiom-e2e.myshopify.com' },
      secrets: { webhookSecret: shopifySecret },
    });
    const offAnswer = await shopifySend(inactive, 'orders/create', body, shopifySecret);
    expect([offAnswer.status, offAnswer.contentType]).toEqual([404, 'application/problem+json']);

    // A valid delivery after the refused ones: once it is an order, the queue has had its time.
    expect((await shopifySend(shopifyId, 'orders/create', body, shopifySecret)).status).toBe(202);
    await orderOf(String(valid), shopifyId);
    for (const id of [wrongSecret, missingHeader, altered]) {
      expect(await ordersOf(String(id), shopifyId)).toEqual([]);
    }
    expect(await ordersOf(String(valid), inactive)).toEqual([]);
    const refusedIds = new Set(refused.map((r) => r.webhookId));
    const entries = await errorsOf(shopifyId);
    expect(entries.filter((entry) => refusedIds.has(entry.messageId as string))).toEqual([]);
    expect(await errorsOf(inactive)).toEqual([]);
    expect(await errorsOf(json)).toEqual([]);
    expect(await errorsOf(bc)).toEqual([]);
  });

  it('the same delivery 20 times at once is one order', async () => {
    const id = idBase + 21;
    const body = JSON.stringify(shopifyFixture(id));
    const webhookId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        shopifySend(shopifyId, 'orders/create', body, shopifySecret, webhookId)
      )
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(19);
    expect(new Set(answers.map((a) => a.body.messageId))).toEqual(new Set([webhookId]));
    await orderOf(String(id), shopifyId);
    // Every copy is queued (a duplicate may be the sender's retry of a failed first try): let them all
    // be consumed, then there is still one order.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await ordersOf(String(id), shopifyId)).toHaveLength(1);
    expect(await errorsOf(shopifyId)).toEqual([]);
  });
});

describe('errors and resubmit', () => {
  it('a sku with neither a mapping nor a product waits on the error list until the mapping is there', async () => {
    const id = idBase + 31;
    const unknownSku = `IPOD-UNKNOWN-${run}`;
    const order = shopifyFixture(id);
    order.line_items = order.line_items.map((line, i) => (i === 1 ? { ...line, sku: unknownSku } : line));
    const accepted = await shopifySend(shopifyId, 'orders/create', JSON.stringify(order), shopifySecret);
    expect(accepted.status).toBe(202);
    const messageId = accepted.body.messageId as string;

    const entry = await waitFor(
      async () => (await errorsOf(shopifyId)).find((e) => e.messageId === messageId),
      { timeoutMs: queueMs, intervalMs: 200, what: 'the error entry' }
    );
    expect(entry).toMatchObject({ kind: 'provider-inbound', step: 'mapping', status: 'open' });
    expect(entry.message).toEqual(expect.stringContaining(`"${unknownSku}"`));
    expect(await ordersOf(String(id), shopifyId)).toEqual([]);

    await put(`v1/mapping-groups/${shopifyGroup}`, {
      name: 'Shopify SKUs',
      mappings: [...shopifyMappings, { type: 'sku', external: unknownSku, internal: 'IPOD2008RED' }],
    });
    // Other hosts on these services read mapping groups at most once a second: give them that second
    // (a person fixing a mapping takes longer than that before resubmitting).
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const route = `v1/errors/${encodeURIComponent(entry.id as string)}/resubmit?list=provider-inbound`;
    const resubmitted = await call('POST', route);
    expect([resubmitted.status, resubmitted.body.status]).toEqual([200, 'resubmitted']);
    const created = await orderOf(String(id), shopifyId);
    expect(linesOf(created).map((line) => line.sku)).toEqual([greenSku, 'IPOD2008RED', 'IPOD2008BLACK']);

    const again = await call('POST', route);
    expect([again.status, again.body.status]).toEqual([200, 'resubmitted']);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await ordersOf(String(id), shopifyId)).toHaveLength(1);
    const after = (await errorsOf(shopifyId)).filter((e) => e.messageId === messageId);
    expect(after).toEqual([expect.objectContaining({ id: entry.id, status: 'resubmitted' })]);
  });
});

describe('the instance API', () => {
  it('never shows secret values; PUT without secrets keeps them, null removes one', async () => {
    const id = `shop-api-${run}`;
    const secret = `api-secret-${run}-value`;
    const body = {
      provider: 'shopify',
      active: true,
      parameters: { shopUrl: 'https://openiom-e2e.myshopify.com' },
    };
    await put(`v1/provider-instances/${id}`, {
      ...body,
      secrets: { webhookSecret: secret, accessToken: 'tok' },
    });
    const shown = await call('GET', `v1/provider-instances/${id}`);
    expect(shown.body.secrets).toEqual({ webhookSecret: { set: true }, accessToken: { set: true } });
    expect(shown.text).not.toContain(secret);
    const listed = await call('GET', 'v1/provider-instances');
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain(shopifySecret);

    const replaced = await call('PUT', `v1/provider-instances/${id}`, body);
    expect([replaced.status, replaced.body.secrets]).toEqual([
      200,
      { webhookSecret: { set: true }, accessToken: { set: true } },
    ]);
    expect(replaced.text).not.toContain(secret);
    const order = JSON.stringify(shopifyFixture(idBase + 41));
    expect((await shopifySend(id, 'orders/create', order, secret)).status).toBe(202);

    const removed = await call('PUT', `v1/provider-instances/${id}`, {
      ...body,
      secrets: { webhookSecret: null },
    });
    expect([removed.status, removed.body.secrets]).toEqual([
      200,
      { webhookSecret: { set: false }, accessToken: { set: true } },
    ]);
    expect((await shopifySend(id, 'orders/create', order, secret)).status).toBe(401);
  });

  it('refuses unknown parameters and providers, naming the path', async () => {
    const unknownParameter = await call('PUT', `v1/provider-instances/bad-${run}`, {
      provider: 'shopify',
      active: true,
      parameters: { shopUrl: 'https://openiom-e2e.myshopify.com', colour: 'red' },
    });
    expect([unknownParameter.status, unknownParameter.contentType]).toEqual([
      400,
      'application/problem+json',
    ]);
    expect(unknownParameter.body.errors).toEqual([expect.objectContaining({ path: '/parameters/colour' })]);
    const unknownProvider = await call('PUT', `v1/provider-instances/bad-${run}`, {
      provider: 'magento-one',
      active: true,
    });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.errors).toEqual([expect.objectContaining({ path: '/provider' })]);
    expect((await call('GET', `v1/provider-instances/bad-${run}`)).status).toBe(404);
  });

  it('lists the built-in providers with their message types and service types', async () => {
    const listed = await call('GET', 'v1/providers');
    expect(listed.status).toBe(200);
    const types = Object.fromEntries(
      (listed.body.items as { id: string; messageTypes: { name: string }[] }[]).map((p) => [
        p.id,
        p.messageTypes.map((t) => t.name),
      ])
    );
    const files = ['order-rows', 'x12-850'];
    expect(types).toEqual({
      shopify: ['orders/create', 'orders/updated', 'orders/cancelled', 'order', 'refunds/create', ...files],
      bigcommerce: [
        'store/order/created',
        'store/order/updated',
        'store/order/statusUpdated',
        'store/order/archived',
        ...files,
      ],
      'adobe-commerce': ['order', ...files],
      orderful: ['850_PURCHASE_ORDER', ...files],
      'generic-json': ['order', 'fulfillmentOrderEvent', ...files],
      avalara: [],
      shipstation: ['SHIP_NOTIFY', 'ITEM_SHIP_NOTIFY'],
      fedex: ['track'],
      'generic-http': ['fulfillmentOrderEvent'],
      flexe: ['shipment'],
      'uber-freight': ['loadStatus'],
      'dynamics-fno': ['salesOrderStatus'],
    });
    const services = Object.fromEntries(
      (listed.body.items as { id: string; serviceType: string; serviceTypes: string[] }[]).map((p) => [
        p.id,
        [p.serviceType, p.serviceTypes],
      ])
    );
    expect(services).toMatchObject({
      shopify: ['order-intake', ['order-intake', 'storefront']],
      avalara: ['tax', ['tax']],
      'generic-http': ['fulfillment', ['fulfillment', 'freight', 'carrier', 'tax', 'erp', 'invoicing']],
      flexe: ['fulfillment', ['fulfillment']],
      'uber-freight': ['freight', ['freight']],
      'dynamics-fno': ['erp', ['erp', 'fulfillment']],
      shipstation: ['carrier', ['carrier', 'fulfillment']],
      fedex: ['carrier', ['carrier']],
    });
  });
});
