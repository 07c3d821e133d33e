import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { apiClient } from '../support/api-client';
import {
  startShipStationServer,
  type ShipStationServer,
} from '../support/provider-servers/shipstation-server';
import { waitFor } from '../support/wait-for';

// Carrier actions on the local host against the local ShipStation server: a fulfillment order
// journey step buys a label and the FO ships with its tracking number; another version of the journey
// creates the ShipStation orders, and the SHIP_NOTIFY webhook of a batch of their labels ships those FOs.
const key = 'carrier-actions-key';
const webhookToken = 'e2e-shipstation-token';
let host: HostProcess;
const { call, ok } = apiClient(() => host.url, key);
let shipstation: ShipStationServer;
let seq = 0;

interface FulfillmentOrderView {
  id: string;
  state: string;
  lines: { quantity: number; shipped: number }[];
  shipments: { carrier: string; trackingNumber: string }[];
  externalReferences?: { system: string; id: string }[];
}

/** Publishes the FO journey whose first step runs `action` of the ShipStation instance and waits for shipment. */
async function publishFulfillmentOrderJourney(action: string): Promise<void> {
  await ok('PUT', '/api/v1/journeys/default-fulfillment-order', {
    name: `Ship with ShipStation (${action})`,
    type: 'fulfillmentOrder',
    steps: [
      // A label ships the FO, and an FO ships only once sent: send it first (the order journey's own
      // send may come later; sending twice sends once).
      {
        name: 'Send to fulfillment',
        action: 'sendToFulfillment',
        inputEvents: ['Creation of Fulfillment Order Succeeded'],
        successEvent: 'Fulfillment Order Sent',
      },
      {
        name: `ShipStation ${action}`,
        action: 'custom',
        inputEvents: ['Fulfillment Order Sent'],
        providerAction: { instanceId: 'ss-e2e', action },
        wait: { event: 'Fulfillment Order Shipped', timeoutSeconds: 3600 },
      },
      { kind: 'exit', name: 'Complete', inputEvents: ['Fulfillment Order Shipped'] },
    ],
  });
  await ok('POST', '/api/v1/journeys/default-fulfillment-order/publish');
}

async function postOrder(): Promise<string> {
  seq += 1;
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId: `carrier-${seq}`,
    currency: 'USD',
    customer: { email: `buyer-${seq}@example.com`, name: 'Jane Doe' },
    shipTo: {
      line1: '1600 Pennsylvania Ave',
      city: 'Washington',
      state: 'DC',
      postalCode: '20500',
      country: 'US',
    },
    lines: [{ sku: 'LABEL-SKU', quantity: 2, unitPrice: 1500 }],
  });
  return accepted.orderId as string;
}

/** The order's one fulfillment order once `ready` says it is where the test wants it. */
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
  shipstation = await startShipStationServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-carrier-actions-'));
  host = await startHostProcess(
    { ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key, OPENIOM_SEED_JOURNEYS: 'true' },
    90_000
  );
  await ok('PUT', '/api/v1/products/LABEL-SKU', { name: 'Boxed thing' });
  await ok('PUT', '/api/v1/sources/WH-LABELS', {
    name: 'Austin',
    type: 'warehouse',
    address: { postalCode: '78703', city: 'Austin', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'LABEL-SKU', sourceId: 'WH-LABELS', measure: 'onhand', quantity: 100 },
  ]);
  await ok('PUT', '/api/v1/provider-instances/ss-e2e', {
    provider: 'shipstation',
    active: true,
    parameters: {
      baseUrl: shipstation.url,
      carrierCode: 'stamps_com',
      serviceCode: 'usps_priority_mail',
      testLabel: true,
      shipFromName: 'WH Labels',
      shipFromLine1: '1 Dock Rd',
      shipFromCity: 'Austin',
      shipFromState: 'TX',
      shipFromPostalCode: '78703',
      shipFromCountry: 'US',
    },
    secrets: { apiKey: shipstation.apiKey, apiSecret: shipstation.apiSecret, webhookToken },
  });
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await shipstation?.close();
});

it("a journey step buys a ShipStation label: the FO ships with the label's tracking number", async () => {
  await publishFulfillmentOrderJourney('createLabel');
  const orderId = await postOrder();
  const fo = await fulfillmentOrderOf(orderId, 'shipped by its label', (f) => f.shipments.length > 0);
  const labels = shipstation.requests.filter((r) => r.path === '/shipments/createlabel');
  expect(labels).toHaveLength(1);
  expect(JSON.parse(labels[0]!.body)).toMatchObject({
    carrierCode: 'stamps_com',
    serviceCode: 'usps_priority_mail',
    shipTo: { name: 'Jane Doe', postalCode: '20500', country: 'US' },
    testLabel: true,
  });
  const label = shipstation.shipments.at(-1)!;
  expect(fo.shipments).toEqual([
    expect.objectContaining({ carrier: 'stamps_com', trackingNumber: label.trackingNumber }),
  ]);
  expect(fo.lines).toEqual([expect.objectContaining({ quantity: 2, shipped: 2 })]);
});

it('a SHIP_NOTIFY webhook of a batch of labels ships each FO whose ShipStation order got one', async () => {
  await publishFulfillmentOrderJourney('createOrder');
  const orderIds = [await postOrder(), await postOrder()];
  const sent = await Promise.all(
    orderIds.map((orderId) =>
      fulfillmentOrderOf(orderId, 'sent to ShipStation as an order', (f) =>
        Boolean(f.externalReferences?.some((r) => r.system === 'shipstation'))
      )
    )
  );
  for (const fo of sent) {
    const order = shipstation.orders.find((o) => o.orderNumber === fo.id)!;
    expect(fo.externalReferences).toEqual([{ system: 'shipstation', id: String(order.orderId) }]);
  }
  expect(sent.map((fo) => fo.shipments)).toEqual([[], []]);
  expect(shipstation.requests.filter((r) => r.path === '/shipments/createlabel')).toHaveLength(1);
  const { shipments, webhookBody } = shipstation.shipOrders(
    sent.map((fo) => fo.id),
    { carrierCode: 'ups' }
  );

  const deliver = (token: string) =>
    fetch(`${host.url}/api/providers/ss-e2e/webhook?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: webhookBody,
    });
  expect((await deliver('wrong')).status).toBe(401);
  const accepted = await deliver(webhookToken);
  expect(accepted.status).toBe(202);
  expect(await accepted.json()).toMatchObject({ duplicate: false, messageType: 'SHIP_NOTIFY' });

  for (const [i, orderId] of orderIds.entries()) {
    const shipped = await fulfillmentOrderOf(
      orderId,
      'shipped by SHIP_NOTIFY',
      (f) => f.shipments.length > 0
    );
    expect(shipped.id).toBe(sent[i]!.id);
    expect(shipped.shipments).toEqual([
      expect.objectContaining({ carrier: 'ups', trackingNumber: shipments[i]!.trackingNumber }),
    ]);
    expect(shipped.lines).toEqual([expect.objectContaining({ quantity: 2, shipped: 2 })]);
  }
  expect(shipstation.requests.filter((r) => r.method === 'GET' && r.path === '/shipments')).toHaveLength(1);

  // ShipStation sending it again changes nothing.
  const again = await deliver(webhookToken);
  expect(await again.json()).toMatchObject({ duplicate: true });
  await waitFor(
    () =>
      Promise.resolve(shipstation.requests.filter((r) => r.path === '/shipments').length === 2 || undefined),
    { what: 'the redelivered webhook to be read', timeoutMs: 30_000 }
  );
  for (const orderId of orderIds) {
    const fo = await fulfillmentOrderOf(orderId, 'still shipped once', () => true);
    expect(fo.shipments).toHaveLength(1);
  }
});
