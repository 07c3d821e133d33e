import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { apiClient } from '../support/api-client';
import {
  flexeRoutes,
  flexeShipmentCallback,
  signBody,
  startGenericHttpServer,
  type FlexeState,
  type GenericHttpServer,
} from '../support/provider-servers/generic-http-server';
import { waitFor } from '../support/wait-for';

// Flexe, a built-in on the declarative HTTP provider, on the local host: an instance whose actions
// parameter is wrong is refused with the path, a fulfillment order journey step sends the FO to the
// local Flexe API, and Flexe's signed shipment callback ships that FO with its tracking number.
const key = 'generic-http-actions-key';
const flexeToken = 'e2e-flexe-token';
const callbackSecret = 'e2e-flexe-callback-secret';
let host: HostProcess;
const { call, ok } = apiClient(() => host.url, key);
let flexe: GenericHttpServer;
const flexeState: FlexeState = { orders: new Map() };

interface FulfillmentOrderView {
  id: string;
  state: string;
  lines: { quantity: number; shipped: number }[];
  shipments: { carrier: string; trackingNumber: string; url?: string }[];
  externalReferences?: { system: string; id: string }[];
}

async function fulfillmentOrderOf(
  orderId: string,
  what: string,
  ready: (fo: FulfillmentOrderView) => boolean
): Promise<FulfillmentOrderView> {
  try {
    return await waitFor(
      async () => {
        const order = (await call('GET', `/api/v1/orders/${orderId}`)).body as {
          fulfillmentOrders?: { id: string }[];
        };
        const foId = order.fulfillmentOrders?.[0]?.id;
        if (foId === undefined) return undefined;
        const fo = (await call('GET', `/api/v1/fulfillment-orders/${foId}`))
          .body as unknown as FulfillmentOrderView;
        return ready(fo) ? fo : undefined;
      },
      { what: `order ${orderId}'s fulfillment order ${what}`, timeoutMs: 90_000 }
    );
  } catch (err) {
    const timeline = await call('GET', `/api/v1/orders/${orderId}/timeline`);
    const errors = await call('GET', '/api/v1/errors?kind=provider-action');
    throw new Error(
      `${(err as Error).message}\ntimeline: ${JSON.stringify(timeline.body)}\nprovider-action errors: ${JSON.stringify(errors.body)}\nhost log:\n${host.stderr().slice(-4000)}`,
      { cause: err }
    );
  }
}

beforeAll(async () => {
  flexe = await startGenericHttpServer({
    auth: { scheme: 'bearer', token: flexeToken },
    routes: flexeRoutes(flexeState),
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-generic-http-'));
  host = await startHostProcess(
    { ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key, OPENIOM_SEED_JOURNEYS: 'true' },
    90_000
  );
  await ok('PUT', '/api/v1/products/FLEXE-SKU', { name: 'Pallet thing' });
  await ok('PUT', '/api/v1/sources/WH-FLEXE', {
    name: 'Flexe Seattle',
    type: 'warehouse',
    address: { postalCode: '98101', city: 'Seattle', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'FLEXE-SKU', sourceId: 'WH-FLEXE', measure: 'onhand', quantity: 100 },
  ]);
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await flexe?.close();
});

it('refuses an instance whose actions parameter is wrong, naming the path', async () => {
  const refused = await call('PUT', '/api/v1/provider-instances/flexe-bad', {
    provider: 'flexe',
    active: false,
    parameters: {
      baseUrl: flexe.url,
      actions: JSON.stringify({ sendFulfillmentOrder: { method: 'POST', path: '/v2/x', response: '[' } }),
    },
  });
  expect(refused.status).toBe(400);
  expect(refused.body.errors).toEqual([
    { path: '/parameters/actions/sendFulfillmentOrder/response', message: expect.any(String) },
  ]);
});

it("a journey step sends the FO to Flexe and Flexe's signed shipment callback ships it", async () => {
  await ok('PUT', '/api/v1/provider-instances/flexe-e2e', {
    provider: 'flexe',
    active: true,
    parameters: { baseUrl: flexe.url },
    secrets: { token: flexeToken, callbackSecret },
  });
  await ok('PUT', '/api/v1/journeys/default-fulfillment-order', {
    name: 'Fulfil with Flexe',
    type: 'fulfillmentOrder',
    steps: [
      {
        name: 'Send to Flexe',
        action: 'custom',
        inputEvents: ['Creation of Fulfillment Order Succeeded'],
        providerAction: { instanceId: 'flexe-e2e', action: 'sendFulfillmentOrder' },
        wait: { event: 'Fulfillment Order Shipped', timeoutSeconds: 3600 },
      },
      { kind: 'exit', name: 'Complete', inputEvents: ['Fulfillment Order Shipped'] },
    ],
  });
  await ok('POST', '/api/v1/journeys/default-fulfillment-order/publish');
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId: `flexe-${Date.now()}`,
    currency: 'USD',
    customer: { email: 'buyer@example.com', name: 'Jane Doe' },
    shipTo: { line1: '400 Broad St', city: 'Seattle', state: 'WA', postalCode: '98109', country: 'US' },
    lines: [{ sku: 'FLEXE-SKU', quantity: 3, unitPrice: 2500 }],
  });
  const orderId = accepted.orderId as string;

  const sent = await fulfillmentOrderOf(orderId, 'sent to Flexe', (f) => flexeState.orders.has(f.id));
  expect(flexeState.orders.get(sent.id)!.request).toEqual({
    externalId: sent.id,
    shipTo: {
      name: 'Jane Doe',
      email: 'buyer@example.com',
      address1: '400 Broad St',
      city: 'Seattle',
      state: 'WA',
      postalCode: '98109',
      country: 'US',
    },
    lineItems: [{ externalId: expect.stringMatching(/:1$/), sku: 'FLEXE-SKU', quantity: 3 }],
  });
  expect(flexe.received.at(-1)!.headers.authorization).toBe(`Bearer ${flexeToken}`);
  expect(sent.shipments).toEqual([]);

  const body = JSON.stringify(flexeShipmentCallback(sent.id, `ship-${Date.now()}`));
  const webhook = (signature: string) =>
    fetch(`${host.url}/api/providers/flexe-e2e/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signature },
      body,
    });
  expect((await webhook(signBody('not-the-secret', body))).status).toBe(401);
  const delivered = await webhook(signBody(callbackSecret, body));
  expect(delivered.status).toBe(202);
  expect(await delivered.json()).toMatchObject({ duplicate: false, messageType: 'shipment' });

  const shipped = await fulfillmentOrderOf(orderId, 'shipped by the callback', (f) => f.shipments.length > 0);
  expect(shipped.id).toBe(sent.id);
  expect(shipped.shipments).toEqual([
    expect.objectContaining({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }),
  ]);
  expect(shipped.lines).toEqual([expect.objectContaining({ quantity: 3, shipped: 3 })]);
  const timeline = JSON.stringify((await call('GET', `/api/v1/orders/${orderId}/timeline`)).body);
  expect(timeline).toContain('flexe-e2e.sendFulfillmentOrder: POST /v2/fulfillment_orders answered 201');
  expect(shipped.externalReferences).toEqual([{ system: 'flexe', id: flexeState.orders.get(sent.id)!.id }]);
  expect(flexeState.orders.size).toBe(1);
});
