import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { apiClient } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { startAvalaraServer, type AvalaraServer } from '../support/provider-servers/avalara-server';
import type { RequestLogEntry } from '../support/provider-servers/request-log';
import {
  startShipStationServer,
  type ShipStationServer,
} from '../support/provider-servers/shipstation-server';
import {
  shopifyJson,
  shopifyOrders,
  shopifyWebhookHeaders,
  startShopifyAdminServer,
  type ShopifyAdminServer,
} from '../support/provider-servers/shopify-admin-server';
import { waitFor } from '../support/wait-for';

// One order through tax, label and storefront update (docs/providers.md, "Outbound"): an order from
// a Shopify webhook is taxed by AvaTax, its fulfillment order buys a ShipStation label, ships with the
// label's tracking number, and the shipment is reported back to Shopify — each provider answering
// 503 twice first, so every call is retried and every effect still happens once.
const key = 'outbound-journey-key';
const shopSecret = 'outbound-shop-secret';
let host: HostProcess;
const { call, ok } = apiClient(() => host.url, key);
let avalara: AvalaraServer;
let shipstation: ShipStationServer;
let shopify: ShopifyAdminServer;

const thirtyDays = 30 * 24 * 3600;
const skus = ['IPOD2008GREEN', 'IPOD2008RED', 'IPOD2008BLACK'];

const orderJourney = {
  type: 'order',
  name: 'Taxed orders',
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
      providerAction: { instanceId: 'avatax', action: 'calculateTax' },
      successEvent: 'Tax Calculated',
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
};

const fulfillmentOrderJourney = {
  type: 'fulfillmentOrder',
  name: 'Labelled and reported',
  steps: [
    // The label ships the FO, which it may only once sent: send it first (idempotent with the order
    // journey's own send).
    {
      name: 'Send to fulfillment',
      action: 'sendToFulfillment',
      inputEvents: ['Creation of Fulfillment Order Succeeded'],
      successEvent: 'Fulfillment Order Sent',
    },
    {
      name: 'Buy label',
      action: 'custom',
      inputEvents: ['Fulfillment Order Sent'],
      providerAction: { instanceId: 'shipstation', action: 'createLabel' },
      wait: { event: 'Fulfillment Order Shipped', timeoutSeconds: thirtyDays },
    },
    {
      name: 'Update storefront',
      action: 'custom',
      inputEvents: ['Fulfillment Order Shipped'],
      providerAction: { instanceId: 'shop', action: 'createFulfillment' },
      successEvent: 'Storefront Updated',
    },
    { kind: 'exit', name: 'Complete', inputEvents: ['Storefront Updated'] },
  ],
};

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-outbound-journey-'));
  [host, avalara, shipstation, shopify] = await Promise.all([
    startHostProcess({ ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key }, 90_000),
    startAvalaraServer({ licenseKey: `avatax-license-${randomUUID()}`, companyCode: 'OPENIOM-TEST' }),
    startShipStationServer(),
    startShopifyAdminServer({
      orders: shopifyOrders(1),
      accessToken: `shpat_${randomUUID().replace(/-/g, '')}`,
    }),
  ]);
  for (const sku of skus) await ok('PUT', `/api/v1/products/${sku}`, { name: sku });
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
    skus.map((sku) => ({ sku, sourceId: 'WH-KY', measure: 'onhand', quantity: 100 }))
  );
  await ok('PUT', '/api/v1/provider-instances/avatax', {
    provider: 'avalara',
    active: true,
    parameters: { baseUrl: avalara.url, companyCode: avalara.companyCode },
    secrets: { accountId: avalara.accountId, licenseKey: avalara.licenseKey },
  });
  await ok('PUT', '/api/v1/provider-instances/shipstation', {
    provider: 'shipstation',
    active: true,
    parameters: {
      baseUrl: shipstation.url,
      carrierCode: 'ups',
      serviceCode: 'ups_ground',
      testLabel: true,
      shipFromName: 'WH Louisville',
      shipFromLine1: '1 Dock Rd',
      shipFromCity: 'Louisville',
      shipFromState: 'KY',
      shipFromPostalCode: '40202',
      shipFromCountry: 'US',
    },
    secrets: { apiKey: shipstation.apiKey, apiSecret: shipstation.apiSecret, webhookToken: 'unused' },
  });
  await ok('PUT', '/api/v1/provider-instances/shop', {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: shopify.url, apiVersion: shopify.apiVersion },
    secrets: { webhookSecret: shopSecret, accessToken: shopify.accessToken },
  });
  for (const [id, journey] of [
    ['outbound-order', orderJourney],
    ['outbound-fulfillment-order', fulfillmentOrderJourney],
  ] as const) {
    await ok('PUT', `/api/v1/journeys/${id}`, journey);
    await ok('POST', `/api/v1/journeys/${id}/publish`);
  }
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([avalara?.close(), shipstation?.close(), shopify?.close()]);
});

const calls = (log: readonly RequestLogEntry[], pathEnd: string) =>
  log.filter((r) => r.path.endsWith(pathEnd));

it('taxes, labels and reports an order once each, every provider answering 503 twice first', async () => {
  avalara.faults.failNext(2);
  shipstation.faults.failNext(2);
  shopify.faults.failNext(2);

  const body = shopifyJson(shopify.orders[0]);
  const webhook = await fetch(`${host.url}/api/providers/shop/webhook`, {
    method: 'POST',
    headers: shopifyWebhookHeaders({
      topic: 'orders/create',
      body,
      secret: shopSecret,
      shopDomain: shopify.shopDomain,
    }),
    body,
  });
  expect(webhook.status).toBe(202);
  const externalId = String(shopify.orders[0]!.id);
  const orderId = await waitFor(
    async () =>
      ((await ok('GET', `/api/v1/orders?externalId=${externalId}`)).items as { orderId: string }[])[0]
        ?.orderId,
    { what: 'the order from the webhook', timeoutMs: 60_000 }
  );
  const completed = await waitFor(
    async () => {
      const order = (await call('GET', `/api/v1/orders/${orderId}`)).body as {
        journey?: { status: string };
        lines: { tax?: number }[];
        fulfillmentOrders: { id: string }[];
      };
      return order.journey?.status === 'completed' ? order : undefined;
    },
    { what: 'the order journey to complete', timeoutMs: 120_000 }
  ).catch(async (err: Error) => {
    const timeline = await call('GET', `/api/v1/orders/${orderId}/timeline`);
    const errors = await call('GET', '/api/v1/errors?list=provider-action');
    throw new Error(`${err.message}\n${JSON.stringify(timeline.body)}\n${JSON.stringify(errors.body)}`);
  });

  // Tax: one transaction, after two 503s answered to the same request.
  const taxCalls = calls(avalara.requests, '/api/v2/transactions/create');
  expect(taxCalls.map((c) => c.status)).toEqual([503, 503, 201]);
  expect(new Set(taxCalls.map((c) => c.body)).size).toBe(1);
  expect(completed.lines.every((line) => typeof line.tax === 'number' && line.tax > 0)).toBe(true);

  // Label: one label bought, after two 503s; the FO shipped with its tracking number.
  const labelCalls = calls(shipstation.requests, '/shipments/createlabel');
  expect(labelCalls.map((c) => c.status)).toEqual([503, 503, 200]);
  expect(shipstation.shipments).toHaveLength(1);
  const trackingNumber = shipstation.shipments[0]!.trackingNumber;
  const [foRef] = completed.fulfillmentOrders;
  const fo = (await ok('GET', `/api/v1/fulfillment-orders/${foRef!.id}`)) as {
    shipments: { carrier: string; trackingNumber: string }[];
  };
  expect(fo.shipments).toEqual([expect.objectContaining({ carrier: 'ups', trackingNumber })]);

  // Storefront: one Shopify fulfillment with that tracking number, after two 503s.
  await waitFor(() => Promise.resolve(shopify.fulfillments.length === 1 || undefined), {
    what: 'the Shopify fulfillment',
    timeoutMs: 60_000,
  });
  const storeCalls = shopify.requests.filter((r) => !r.path.endsWith('/orders.json'));
  expect(storeCalls.map((r) => `${r.method} ${r.status}`)).toEqual([
    'GET 503',
    'GET 503',
    'GET 200',
    'POST 201',
  ]);
  const posted = JSON.parse(storeCalls.at(-1)!.body) as {
    fulfillment: { tracking_info: { number: string } };
  };
  expect(posted.fulfillment.tracking_info.number).toBe(trackingNumber);
  // Nothing waits on a provider any more: no call comes after the journey ended.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(shopify.fulfillments).toHaveLength(1);
  expect(calls(shipstation.requests, '/shipments/createlabel')).toHaveLength(3);
  expect(calls(avalara.requests, '/api/v2/transactions/create')).toHaveLength(3);
}, 240_000);
