import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { apiClient, type Json } from '../support/api-client';
import {
  avataxInstanceFor,
  startAvalaraServer,
  type AvalaraServer,
} from '../support/provider-servers/avalara-server';
import {
  shopifyJson,
  shopifyOrders,
  shopifyWebhookHeaders,
  startShopifyAdminServer,
  type ShopifyAdminServer,
} from '../support/provider-servers/shopify-admin-server';
import type { RequestLogEntry } from '../support/provider-servers/request-log';
import { waitFor } from '../support/wait-for';

// Provider actions from journey steps on the local host (docs/providers.md, "Outbound"): an order
// journey whose tax step calls Avalara AvaTax, and a fulfillment order journey that reports the
// shipment to the Shopify store the order came from. One host with services of its own: the
// journeys it publishes run every order of its store.
const key = 'provider-actions-key';
const avataxId = 'avatax';
const shopId = 'shop';
const feedId = 'warehouse-feed';
const shopSecret = `shopify-webhook-secret-${randomUUID()}`;
const feedSecret = `feed-webhook-secret-${randomUUID()}`;
const thirtyDays = 30 * 24 * 3600;

let host: HostProcess;
const { call, ok } = apiClient(
  () => host.url,
  key,
  (text) => answers.push(text)
);
let avalara: AvalaraServer;
let shopify: ShopifyAdminServer;
/** Every API answer this file read, for the secrets check at the end. */
const answers: string[] = [];

interface OrderView {
  orderId: string;
  externalId: string;
  channel: string;
  state: string;
  lines: { lineId: string; sku: string; unitPrice: number; tax?: number }[];
  taxDocument?: { instanceId: string; code: string; totalTax: number };
  fulfillmentOrders: { id: string; state: string }[];
  journey: { status: string; step: string | null; resumeFrom?: { reason: string } } | null;
}

const getOrder = async (orderId: string) =>
  (await ok('GET', `/api/v1/orders/${orderId}`)) as unknown as OrderView;

async function journeyReaches(orderId: string, status: string, step?: string): Promise<OrderView> {
  try {
    return await waitFor(
      async () => {
        const order = await getOrder(orderId).catch(() => undefined);
        const journey = order?.journey;
        return journey && journey.status === status && (step === undefined || journey.step === step)
          ? order
          : undefined;
      },
      { what: `order ${orderId}'s journey to be ${status}${step ? ` at ${step}` : ''}`, timeoutMs: 90_000 }
    );
  } catch (err) {
    const timeline = await call('GET', `/api/v1/orders/${orderId}/timeline`).catch(() => undefined);
    throw new Error(
      `${(err as Error).message}\n${JSON.stringify(await getOrder(orderId).catch(() => undefined))}\n` +
        `${JSON.stringify(timeline?.body)}\nhost log:\n${host.stderr().slice(-6000)}`,
      { cause: err }
    );
  }
}

/** A Shopify orders/create webhook for an order of the store, signed; answers our order id. */
async function orderFromShopify(index: number): Promise<string> {
  const body = shopifyJson(shopify.orders[index]);
  const res = await fetch(`${host.url}/api/providers/${shopId}/webhook`, {
    method: 'POST',
    headers: shopifyWebhookHeaders({
      topic: 'orders/create',
      body,
      secret: shopSecret,
      shopDomain: shopify.shopDomain,
    }),
    body,
  });
  expect(res.status).toBe(202);
  const externalId = String(shopify.orders[index]!.id);
  return waitFor(
    async () => {
      const found = await ok('GET', `/api/v1/orders?externalId=${externalId}`);
      return (found.items as { orderId: string }[])[0]?.orderId;
    },
    { what: `the order of Shopify order ${externalId}`, timeoutMs: 60_000 }
  );
}

const avalaraCalls = () => avalara.requests.filter((r) => r.path === '/api/v2/transactions/create');
const bodyOf = (entry: RequestLogEntry) => JSON.parse(entry.body) as Json;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-provider-actions-'));
  [host, avalara, shopify] = await Promise.all([
    startHostProcess({ ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key }, 90_000),
    startAvalaraServer({ licenseKey: `avatax-license-${randomUUID()}`, companyCode: 'OPENIOM-TEST' }),
    startShopifyAdminServer({
      orders: shopifyOrders(2),
      accessToken: `shpat_${randomUUID().replace(/-/g, '')}`,
    }),
  ]);
  for (const sku of ['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK']) {
    await ok('PUT', `/api/v1/products/${sku}`, { name: sku });
  }
  await ok('PUT', '/api/v1/sources/WH-KY', {
    name: 'Louisville',
    type: 'warehouse',
    address: { line1: '1 Dock Rd', city: 'Louisville', postalCode: '40202', country: 'US' },
    location: { lat: 38.25, lon: -85.76 },
    online: true,
  });
  await ok(
    'POST',
    '/api/v1/inventory/onhand/set',
    ['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK'].map((sku) => ({
      sku,
      sourceId: 'WH-KY',
      measure: 'onhand',
      quantity: 100,
    }))
  );
  await ok('PUT', `/api/v1/provider-instances/${avataxId}`, avataxInstanceFor(avalara));
  await ok('PUT', `/api/v1/provider-instances/${shopId}`, {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: shopify.url, apiVersion: shopify.apiVersion },
    secrets: { webhookSecret: shopSecret, accessToken: shopify.accessToken },
  });
  await ok('PUT', `/api/v1/provider-instances/${feedId}`, {
    provider: 'generic-json',
    active: true,
    secrets: { webhookSecret: feedSecret },
  });
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([avalara?.close(), shopify?.close()]);
});

const orderJourney = (taxStep: Json) => ({
  type: 'order',
  name: 'Orders with tax',
  steps: [
    {
      name: 'Validate order header',
      action: 'validateOrderHeader',
      inputEvents: ['New Order'],
      successEvent: 'Validation of Order Header has Succeeded',
    },
    {
      name: 'Validate order lines',
      action: 'validateOrderLines',
      inputEvents: ['Validation of Order Header has Succeeded'],
      successEvent: 'Validation of Order Lines has Succeeded',
    },
    {
      name: 'Calculate tax',
      action: 'custom',
      inputEvents: ['Validation of Order Lines has Succeeded'],
      successEvent: 'Tax Calculated',
      ...taxStep,
    },
    {
      name: 'Optimize fulfillment',
      action: 'sendToFulfillmentOptimization',
      inputEvents: ['Tax Calculated'],
      successEvent: 'Fulfillment optimization request succeeded',
    },
    {
      name: 'Soft reserve inventory',
      action: 'softReserveInventory',
      inputEvents: ['Fulfillment optimization request succeeded'],
      wait: { event: 'Order Header Ready to be Fulfilled', timeoutSeconds: thirtyDays },
    },
    {
      name: 'Create fulfillment orders',
      action: 'sendFulfillmentProcessRequest',
      inputEvents: ['Order Header Ready to be Fulfilled'],
      successEvent: 'Send fulfillment process request has Succeeded',
    },
    {
      name: 'Send to fulfillment',
      action: 'sendToFulfillment',
      inputEvents: ['Send fulfillment process request has Succeeded'],
      successEvent: 'Send Order to Fulfillment Provider has Succeeded',
    },
    {
      name: 'Wait for shipment',
      action: 'custom',
      inputEvents: ['Send Order to Fulfillment Provider has Succeeded'],
      wait: { event: 'Order Fulfilled', timeoutSeconds: thirtyDays },
    },
    { kind: 'exit', name: 'Complete', inputEvents: ['Order Fulfilled'] },
  ],
});

const fulfillmentOrderJourney = {
  type: 'fulfillmentOrder',
  name: 'Shipments reported to the store',
  steps: [
    {
      name: 'Wait for shipment',
      action: 'custom',
      inputEvents: ['Creation of Fulfillment Order Succeeded'],
      wait: { event: 'Fulfillment Order Shipped', timeoutSeconds: thirtyDays },
    },
    {
      name: 'Update storefront',
      action: 'custom',
      inputEvents: ['Fulfillment Order Shipped'],
      providerAction: { instanceId: shopId, action: 'createFulfillment' },
      successEvent: 'Storefront Updated',
    },
    { kind: 'exit', name: 'Complete', inputEvents: ['Storefront Updated'] },
  ],
};

it('publishing refuses a provider action its instance does not have, naming the step', async () => {
  await ok(
    'PUT',
    '/api/v1/journeys/tax-orders',
    orderJourney({ providerAction: { instanceId: avataxId, action: 'refund' } })
  );
  const refused = await call('POST', '/api/v1/journeys/tax-orders/publish');
  expect(refused.status).toBe(400);
  expect(refused.body.errors).toEqual([
    {
      path: '/steps/2/providerAction',
      message:
        '"Calculate tax": provider instance avatax (Avalara AvaTax) has no action refund; it has calculateTax, commitTax, voidTax',
    },
  ]);
  await ok(
    'PUT',
    '/api/v1/journeys/tax-orders',
    orderJourney({ providerAction: { instanceId: avataxId, action: 'calculateTax' } })
  );
  await ok('POST', '/api/v1/journeys/tax-orders/publish');
  await ok('PUT', '/api/v1/journeys/store-shipments', fulfillmentOrderJourney);
  await ok('POST', '/api/v1/journeys/store-shipments/publish');
});

let firstOrderId: string;

it('taxes the order through AvaTax once (503 twice, then 200) and reports its shipment to Shopify once', async () => {
  avalara.faults.failNext(2);
  firstOrderId = await orderFromShopify(0);
  const waiting = await journeyReaches(firstOrderId, 'waiting', 'Wait for shipment');

  // One transaction: the client retried the 503s with the same request, and AvaTax answered once.
  const calls = avalaraCalls();
  expect(calls.map((c) => c.status)).toEqual([503, 503, 201]);
  expect(new Set(calls.map((c) => c.body)).size).toBe(1);
  expect(calls[0]!.headers.authorization).toBe(
    `Basic ${Buffer.from(`${avalara.accountId}:${avalara.licenseKey}`).toString('base64')}`
  );
  const shopifyOrder = shopify.orders[0]!;
  expect(bodyOf(calls[0]!)).toEqual({
    type: 'SalesOrder',
    code: firstOrderId,
    companyCode: 'OPENIOM-TEST',
    date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    customerCode: expect.any(String),
    currencyCode: 'USD',
    purchaseOrderNo: String(shopifyOrder.id),
    commit: false,
    addresses: {
      shipFrom: { line1: '1 Dock Rd', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
      shipTo: {
        line1: 'Chestnut Street 92',
        city: 'Louisville',
        region: 'KY',
        postalCode: '40202',
        country: 'US',
      },
    },
    lines: shopifyOrder.line_items.map((item) => ({
      number: String(item.id),
      quantity: 1,
      amount: 199,
      itemCode: item.sku,
    })),
  });
  // 8.25 % of 199.00 is 16.4175: 16.42 a line.
  expect(waiting.lines.map((l) => l.tax)).toEqual([1642, 1642, 1642]);
  expect(waiting.taxDocument).toMatchObject({ instanceId: avataxId, code: firstOrderId, totalTax: 4926 });

  const [fo] = waiting.fulfillmentOrders;
  await ok('POST', `/api/v1/fulfillment-orders/${fo!.id}/events`, {
    id: `ship-${fo!.id}`,
    type: 'shipped',
    tracking: {
      carrier: 'UPS',
      number: '1Z999AA10123456784',
      url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    },
  });
  await journeyReaches(firstOrderId, 'completed');
  await waitFor(() => shopify.fulfillments.length === 1, {
    what: 'the Shopify fulfillment',
    timeoutMs: 60_000,
  });

  const base = `/admin/api/${shopify.apiVersion}`;
  const storeCalls = shopify.requests.filter((r) => !r.path.endsWith('/orders.json'));
  expect(storeCalls.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
    `GET ${base}/orders/${String(shopifyOrder.id)}/fulfillment_orders.json 200`,
    `POST ${base}/fulfillments.json 201`,
  ]);
  expect(storeCalls[1]!.headers['x-shopify-access-token']).toBe(shopify.accessToken);
  const fulfillmentOrderId = BigInt(String(shopifyOrder.id)) + 1_000_000_000n;
  expect(bodyOf(storeCalls[1]!)).toEqual({
    fulfillment: {
      line_items_by_fulfillment_order: [
        {
          fulfillment_order_id: Number(fulfillmentOrderId),
          fulfillment_order_line_items: shopifyOrder.line_items.map((item) => ({
            id: Number(BigInt(item.id) + 1_000_000_000n),
            quantity: 1,
          })),
        },
      ],
      tracking_info: {
        number: '1Z999AA10123456784',
        company: 'UPS',
        url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      },
      notify_customer: false,
    },
  });
  // The store's fulfillment id is kept on the FO, by the step that reported it.
  const references = await waitFor(
    async () => (await ok('GET', `/api/v1/fulfillment-orders/${fo!.id}`)).externalReferences,
    { what: "the Shopify fulfillment's id on the FO", timeoutMs: 30_000 }
  );
  expect(references).toEqual([
    { system: `${shopId}:${String(shopifyOrder.id)}`, id: String(shopify.fulfillments[0]!.id) },
  ]);
  const timelineEntry = (name: string) =>
    waitFor(
      async () => {
        const { items } = await ok('GET', `/api/v1/orders/${firstOrderId}/timeline`);
        return (items as { name: string; detail?: string }[]).find((e) => e.name === name);
      },
      { what: `the timeline entry of ${name}`, timeoutMs: 30_000 }
    );
  expect((await timelineEntry('Calculate tax')).detail).toMatch(
    /avatax\.calculateTax: estimated tax 4926 USD/
  );
  expect((await timelineEntry('Update storefront')).detail).toMatch(
    /shop\.createFulfillment: UPS 1Z999AA10123456784/
  );
}, 240_000);

it('a refusal fails the step with AvaTax’s message on the provider-action list; after the fix, reprocess calls once more', async () => {
  avalara.faults.refuse('Address not geocoded.');
  const before = avalaraCalls().length;
  const orderId = await orderFromShopify(1);
  const failed = await journeyReaches(orderId, 'failed', 'Calculate tax');
  expect(failed.journey?.resumeFrom?.reason).toBe('Address not geocoded. (InvalidAddress)');
  expect(
    avalaraCalls()
      .slice(before)
      .map((c) => c.status)
  ).toEqual([400]);

  const listed = (await ok('GET', '/api/v1/errors?list=provider-action')).items as Json[];
  const entry = listed.find((e) => e.orderId === orderId)!;
  expect(entry).toMatchObject({
    kind: 'provider-action',
    source: avataxId,
    step: 'Calculate tax',
    orderId,
    message: 'Address not geocoded. (InvalidAddress)',
    status: 'open',
  });
  const detail = JSON.parse(entry.detail as string) as { action: string; exchanges: Json[] };
  expect(detail.action).toBe('calculateTax');
  expect(detail.exchanges).toEqual([
    {
      method: 'POST',
      url: `${avalara.url}/api/v2/transactions/create`,
      status: 400,
      request: avalaraCalls()[before]!.body,
      answer: expect.stringContaining('"message":"Address not geocoded."'),
    },
  ]);

  avalara.faults.accept();
  await ok('POST', `/api/v1/orders/${orderId}/reprocess`);
  const waiting = await journeyReaches(orderId, 'waiting', 'Wait for shipment');
  expect(
    avalaraCalls()
      .slice(before)
      .map((c) => c.status)
  ).toEqual([400, 201]);
  expect(waiting.lines.map((l) => l.tax)).toEqual([1642, 1642, 1642]);

  // A warehouse feed reports the shipment through the generic JSON provider (a fulfillmentOrderEvent
  // message): the FO ships, and its journey reports it to Shopify.
  const fo = waiting.fulfillmentOrders[0]!;
  const body = JSON.stringify({
    fulfillmentOrderId: fo.id,
    event: { type: 'shipped', tracking: { carrier: 'FedEx', number: '794698571234' } },
  });
  const sent = await fetch(`${host.url}/api/providers/${feedId}/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Openiom-Signature': `sha256=${createHmac('sha256', feedSecret).update(body).digest('hex')}`,
      'X-Openiom-Message-Type': 'fulfillmentOrderEvent',
      'X-Openiom-Delivery-Id': `feed-${fo.id}`,
    },
    body,
  });
  expect(sent.status).toBe(202);
  await journeyReaches(orderId, 'completed');
  const shipped = await ok('GET', `/api/v1/fulfillment-orders/${fo.id}`);
  expect(shipped.shipments).toEqual([
    expect.objectContaining({ carrier: 'FedEx', trackingNumber: '794698571234' }),
  ]);
  const reported = await waitFor(
    () => shopify.fulfillments.find((f) => f.tracking_number === '794698571234'),
    { what: 'the Shopify fulfillment of the FedEx shipment', timeoutMs: 60_000 }
  );
  expect(reported).toMatchObject({
    order_id: BigInt(String(shopify.orders[1]!.id)),
    tracking_company: 'FedEx',
    status: 'success',
  });
}, 240_000);

it('no secret appears in any API answer or in the host log', async () => {
  for (const route of [
    `/api/v1/provider-instances/${avataxId}`,
    `/api/v1/provider-instances/${shopId}`,
    `/api/v1/provider-instances/${feedId}`,
    '/api/v1/provider-instances',
    '/api/v1/errors?list=provider-action',
    '/api/v1/errors?list=orchestration-step',
    `/api/v1/orders/${firstOrderId}`,
    `/api/v1/orders/${firstOrderId}/timeline`,
    `/api/v1/fulfillment-orders?orderId=${firstOrderId}`,
  ]) {
    await ok('GET', route);
  }
  const instance = await ok('GET', `/api/v1/provider-instances/${avataxId}`);
  expect(JSON.stringify(instance.secrets)).toContain('licenseKey');
  const secrets = [avalara.licenseKey, shopify.accessToken, shopSecret, feedSecret];
  const everything = [...answers, host.stderr()];
  for (const secret of secrets) {
    for (const text of everything) expect(text).not.toContain(secret);
  }
  expect(answers.length).toBeGreaterThan(20);
});
