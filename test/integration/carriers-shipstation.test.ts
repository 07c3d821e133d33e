/**
 * ShipStation V1 through the real provider HTTP client against the local ShipStation server: each
 * action's request (path, Basic auth, body fields per the docs) and effects, retries on 503 and 429,
 * the provider's message on 400, and a SHIP_NOTIFY webhook checked, enriched and transformed into a
 * fulfillment order event.
 */
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ValidationError } from '../../shared/domain/errors';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import { parseJsonLossless } from '../../shared/domain/providers/parse-json-lossless';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type { ActionCall, ProviderConnection, WebhookRequest } from '../../shared/ports/provider-plugins';
import { builtInProviders } from '../../shared/providers/built-in-providers';
import { shipStationPlugin } from '../../shared/providers/shipstation/plugin';
import { fulfillmentOrderEventSchema } from '../../shared/schemas/fulfillment-order-event.schema';
import { compileValidator } from '../../shared/schemas/validator';
import { fulfillmentOrderSubject } from '../support/fulfillment-order-subject';
import { readProviderPayload } from '../support/provider-servers/request-log';
import {
  startShipStationServer,
  type ShipStationServer,
} from '../support/provider-servers/shipstation-server';

const validateEvent = compileValidator(fulfillmentOrderEventSchema, 'fulfillment order event');
const now = new Date('2026-12-02T10:00:00Z');
const waits: number[] = [];
const http = new ProviderHttpClient({
  baseDelayMs: 1,
  sleep: (ms) => {
    waits.push(ms);
    return Promise.resolve();
  },
});

let server: ShipStationServer;
let connection: ProviderConnection;

beforeAll(async () => {
  server = await startShipStationServer();
  connection = {
    instanceId: 'ss-1',
    parameters: {
      baseUrl: server.url,
      carrierCode: 'stamps_com',
      serviceCode: 'usps_priority_mail',
      packageCode: 'package',
      confirmation: 'delivery',
      testLabel: true,
      currency: 'USD',
      storeId: 12345,
      webhookTokenHeader: 'X-Webhook-Token',
      shipFromName: 'DC East',
      shipFromCompany: 'Contoso',
      shipFromPhone: '555-0100',
      shipFromLine1: '1 Dock Rd',
      shipFromCity: 'Austin',
      shipFromState: 'TX',
      shipFromPostalCode: '78703',
      shipFromCountry: 'US',
      packageWeight: 24,
      weightUnit: 'oz',
      packageLength: 7,
      packageWidth: 5,
      packageHeight: 6,
      lengthUnit: 'in',
    },
    secrets: { apiKey: server.apiKey, apiSecret: server.apiSecret, webhookToken: 'hook-token-1' },
  };
});
afterAll(() => server.close());
beforeEach(() => {
  waits.length = 0;
});
afterEach(() => server.faults.accept());

function call(action: string, overrides: Partial<ActionCall> = {}): ActionCall {
  return {
    connection,
    action,
    subject: fulfillmentOrderSubject(),
    idempotencyKey: `run-${action}-1`,
    now,
    ...overrides,
  };
}

const act = (action: string, overrides: Partial<ActionCall> = {}) =>
  shipStationPlugin.actions![action]!(call(action, overrides), http);

const basic = () => `Basic ${Buffer.from(`${server.apiKey}:${server.apiSecret}`).toString('base64')}`;
const lastBody = (path: string) =>
  JSON.parse(server.requests.filter((r) => r.path === path).at(-1)!.body) as Record<string, unknown>;

it('is registered, declares its actions and has a handler for each', () => {
  const plugin = builtInProviders.get('shipstation')!;
  expect(plugin.definition.serviceTypes).toContain('carrier');
  expect(plugin.definition.actions.map((a) => a.name).sort()).toEqual(Object.keys(plugin.actions!).sort());
  // Carriers take no order files.
  expect(plugin.definition.messageTypes.map((t) => t.name)).toEqual(['SHIP_NOTIFY', 'ITEM_SHIP_NOTIFY']);
});

describe('getRates', () => {
  it('posts the package and both ends to /shipments/getrates and keeps the rates in minor units', async () => {
    const answer = await act('getRates');
    const request = server.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/shipments/getrates', status: 200 });
    expect(request.headers.authorization).toBe(basic());
    expect(request.headers['content-type']).toBe('application/json');
    expect(lastBody('/shipments/getrates')).toEqual({
      carrierCode: 'stamps_com',
      serviceCode: 'usps_priority_mail',
      packageCode: 'package',
      fromPostalCode: '78703',
      fromCity: 'Austin',
      fromState: 'TX',
      toPostalCode: '20500',
      toCountry: 'US',
      toState: 'DC',
      toCity: 'Washington',
      weight: { value: 24, units: 'ounces' },
      dimensions: { units: 'inches', length: 7, width: 5, height: 6 },
      confirmation: 'delivery',
      residential: true,
    });
    expect(answer.effects).toEqual([
      {
        type: 'record',
        name: 'shipstation-rates',
        data: {
          carrierCode: 'stamps_com',
          currency: 'USD',
          rates: [
            {
              serviceCode: 'usps_priority_mail',
              serviceName: 'USPS Priority Mail - Package',
              shipmentCost: 735,
              otherCost: 50,
            },
          ],
        },
      },
    ]);
  });

  it('lists every service when no service is configured', async () => {
    const { serviceCode: _s, ...parameters } = connection.parameters;
    const answer = await act('getRates', { connection: { ...connection, parameters } });
    expect(answer.effects[0]).toMatchObject({
      data: {
        rates: [
          { serviceCode: 'usps_priority_mail', shipmentCost: 735, otherCost: 50 },
          { serviceCode: 'usps_ground_advantage', shipmentCost: 510, otherCost: 0 },
        ],
      },
    });
    expect(answer.detail).toBe(
      'ShipStation: 2 stamps_com rates, cheapest USPS Ground Advantage - Package 5.10 USD.'
    );
  });

  it('refuses a subject that is not a fulfillment order', async () => {
    const { orders } = fulfillmentOrderSubject();
    await expect(act('getRates', { subject: { type: 'order', order: orders[0]! } })).rejects.toBeInstanceOf(
      ValidationError
    );
  });
});

describe('createLabel', () => {
  it('buys a label: the FO becomes shipped with the tracking number; the label bytes are not kept', async () => {
    const before = server.shipments.length;
    const answer = await act('createLabel');
    expect(server.shipments.length).toBe(before + 1);
    const label = server.shipments.at(-1)!;
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/shipments/createlabel',
      status: 200,
    });
    expect(server.requests.at(-1)!.headers.authorization).toBe(basic());
    expect(lastBody('/shipments/createlabel')).toEqual({
      carrierCode: 'stamps_com',
      serviceCode: 'usps_priority_mail',
      packageCode: 'package',
      confirmation: 'delivery',
      shipDate: '2026-12-02',
      weight: { value: 24, units: 'ounces' },
      dimensions: { units: 'inches', length: 7, width: 5, height: 6 },
      shipFrom: {
        name: 'DC East',
        company: 'Contoso',
        street1: '1 Dock Rd',
        city: 'Austin',
        state: 'TX',
        postalCode: '78703',
        country: 'US',
        phone: '555-0100',
      },
      shipTo: {
        name: 'Jane Doe',
        street1: '1600 Pennsylvania Ave',
        street2: 'Oval Office',
        city: 'Washington',
        state: 'DC',
        postalCode: '20500',
        country: 'US',
      },
      testLabel: true,
    });
    expect(answer.effects).toEqual([
      { type: 'shipment', carrier: 'stamps_com', trackingNumber: label.trackingNumber, raiseShipped: true },
      {
        type: 'record',
        name: 'shipstation-label',
        data: {
          shipmentId: String(label.shipmentId),
          carrierCode: 'stamps_com',
          serviceCode: 'usps_priority_mail',
          currency: 'USD',
          shipmentCost: 735,
          insuranceCost: 0,
          testLabel: true,
        },
      },
    ]);
    expect(JSON.stringify(answer)).not.toContain('labelData');
    expect(answer.detail).toBe(
      `ShipStation label ${String(label.trackingNumber)} (stamps_com usps_priority_mail).`
    );
  });

  it('answered 503 twice then 200: one label', async () => {
    const before = server.shipments.length;
    const calls = server.requests.length;
    server.faults.failNext(2);
    const answer = await act('createLabel');
    expect(server.requests.slice(calls).map((r) => r.status)).toEqual([503, 503, 200]);
    expect(server.shipments.length).toBe(before + 1);
    expect(answer.effects[0]).toMatchObject({
      type: 'shipment',
      trackingNumber: server.shipments.at(-1)!.trackingNumber,
    });
  });

  it("answered 400: a ProviderCallError carrying ShipStation's ExceptionMessage", async () => {
    server.faults.refuse("Invalid carrierCode 'stamps_com' for this account.");
    const failure = await act('createLabel').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProviderCallError);
    expect((failure as ProviderCallError).status).toBe(400);
    expect((failure as ProviderCallError).permanent).toBe(true);
    expect((failure as ProviderCallError).message).toBe("Invalid carrierCode 'stamps_com' for this account.");
    expect((failure as ProviderCallError).message).not.toContain(server.apiSecret);
  });

  it('answered 429: waits the X-Rate-Limit-Reset seconds, then goes on', async () => {
    const calls = server.requests.length;
    server.inject429(1, 7);
    await act('createLabel');
    expect(server.requests.slice(calls).map((r) => r.status)).toEqual([429, 200]);
    expect(waits).toEqual([7000]);
  });

  it('says which parameter is missing', async () => {
    const { serviceCode: _s, ...parameters } = connection.parameters;
    await expect(act('createLabel', { connection: { ...connection, parameters } })).rejects.toMatchObject({
      errors: [{ path: '/parameters/serviceCode' }],
    });
  });
});

describe('createOrder', () => {
  it('creates the ShipStation order keyed by the run; a retry of the run updates it instead of adding one', async () => {
    const subject = fulfillmentOrderSubject('fo-2002');
    const first = await act('createOrder', { subject, idempotencyKey: 'run-fo-2002-send' });
    const sent = lastBody('/orders/createorder');
    expect(sent).toEqual({
      orderNumber: 'fo-2002',
      orderKey: 'run-fo-2002-send',
      orderDate: '2026-12-01T09:00:00.000Z',
      orderStatus: 'awaiting_shipment',
      customerEmail: 'jane@example.com',
      billTo: { name: 'Jane Doe' },
      shipTo: {
        name: 'Jane Doe',
        street1: '1600 Pennsylvania Ave',
        street2: 'Oval Office',
        city: 'Washington',
        state: 'DC',
        postalCode: '20500',
        country: 'US',
      },
      items: [
        { lineItemKey: 'o-1:1', sku: 'ABC123', name: 'ABC123', quantity: 2, unitPrice: 99.99 },
        { lineItemKey: 'o-2:1', sku: 'XYZ9', name: 'XYZ9', quantity: 1, unitPrice: 12.5 },
      ],
      advancedOptions: { storeId: 12345, customField1: 'o-1 o-2' },
    });
    const created = server.orders.find((o) => o.orderNumber === 'fo-2002')!;
    expect(first.effects).toEqual([
      { type: 'externalReference', system: 'shipstation', id: String(created.orderId) },
    ]);

    const again = await act('createOrder', { subject, idempotencyKey: 'run-fo-2002-send' });
    expect(server.orders.filter((o) => o.orderNumber === 'fo-2002')).toHaveLength(1);
    expect(again.effects).toEqual(first.effects);
  });

  it('the local server takes the published Create/Update Order example and updates it by its orderKey', async () => {
    const example = readProviderPayload('shipstation/v1-createorder.request.legacy-docs-example.json');
    const post = () =>
      http.request({
        method: 'POST',
        url: `${server.url}/orders/createorder`,
        headers: { authorization: basic(), 'content-type': 'application/json' },
        body: example,
      });
    const created = parseJsonLossless((await post()).text) as Record<string, unknown>;
    const updated = parseJsonLossless((await post()).text) as Record<string, unknown>;
    expect(updated.orderId).toBe(created.orderId);
    expect(server.orders.filter((o) => o.orderKey === '0f6bec18-3e89-4881-83aa-f392d84f4c74')).toHaveLength(
      1
    );
  });

  it('wrong credentials: 401 from ShipStation, said in its own words', async () => {
    const failure = await act('createOrder', {
      connection: { ...connection, secrets: { apiKey: 'k', apiSecret: 'wrong' } },
    }).catch((err: unknown) => err);
    expect(failure).toMatchObject({
      status: 401,
      message: 'Authorization has been denied for this request.',
    });
  });
});

describe('SHIP_NOTIFY', () => {
  function webhook(
    body: string,
    headers: Record<string, string>,
    query: Record<string, string> = {}
  ): WebhookRequest {
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const params = new URLSearchParams(query);
    return {
      headers: { get: (name) => lower.get(name.toLowerCase()) ?? null },
      query: params,
      rawBody: Buffer.from(body),
    };
  }
  const verify = (request: WebhookRequest) => shipStationPlugin.verifyWebhook!(connection, request);

  it('is taken with the instance token in the URL or the configured header, refused without it', () => {
    const body = JSON.stringify({
      resource_url: `${server.url}/shipments?batchId=1`,
      resource_type: 'SHIP_NOTIFY',
    });
    const byQuery = verify(webhook(body, {}, { token: 'hook-token-1' }));
    expect(byQuery).toMatchObject({ ok: true, messageType: 'SHIP_NOTIFY' });
    expect(verify(webhook(body, { 'X-Webhook-Token': 'hook-token-1' }))).toEqual(byQuery);
    expect(verify(webhook(body, {}, { token: 'nope' }))).toMatchObject({ ok: false, status: 401 });
    expect(verify(webhook(body, {}))).toMatchObject({ ok: false, status: 401 });
    const orderNotify = JSON.stringify({
      resource_url: `${server.url}/orders`,
      resource_type: 'ORDER_NOTIFY',
    });
    expect(verify(webhook(orderNotify, {}, { token: 'hook-token-1' }))).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('is enriched from resource_url and becomes the shipped event of the FO named by its orderNumber', async () => {
    await act('createOrder', { subject: fulfillmentOrderSubject('fo-3003'), idempotencyKey: 'run-fo-3003' });
    const { shipment, webhookBody } = server.shipOrder('fo-3003', {
      carrierCode: 'ups',
      trackingNumber: '1Z999AA10123456784',
    });
    const check = verify(webhook(webhookBody, {}, { token: 'hook-token-1' }));
    expect(check.ok).toBe(true);

    const calls = server.requests.length;
    const input = await shipStationPlugin.enrich!(connection, 'SHIP_NOTIFY', JSON.parse(webhookBody), http);
    const fetched = server.requests.slice(calls);
    expect(fetched.map((r) => [r.method, r.path, r.query.batchId])).toEqual([
      ['GET', '/shipments', String(shipment.batchNumber)],
    ]);
    expect(fetched[0]!.headers.authorization).toBe(basic());

    const transformation = shipStationPlugin.definition.transformations.SHIP_NOTIFY!;
    const { output } = await runTransformation(transformation, input, {
      instanceId: 'ss-1',
      parameters: connection.parameters,
      mappings: [],
      now,
    });
    expect(output).toEqual({
      fulfillmentOrderId: 'fo-3003',
      event: {
        id: `shipstation-shipment-${String(shipment.shipmentId)}`,
        type: 'shipped',
        tracking: { carrier: 'ups', number: '1Z999AA10123456784' },
      },
    });
    expect(() => validateEvent((output as { event: unknown }).event)).not.toThrow();
  });

  it('leaves out voided labels and labels of no order', async () => {
    const transformation = shipStationPlugin.definition.transformations.SHIP_NOTIFY!;
    const shipments = [
      { shipmentId: 1, orderNumber: 'fo-1', carrierCode: 'ups', trackingNumber: 'T1', voided: true },
      { shipmentId: 2, orderNumber: null, carrierCode: 'ups', trackingNumber: 'T2', voided: false },
      { shipmentId: 3, orderNumber: 'fo-3', carrierCode: 'fedex', trackingNumber: 'T3', voided: false },
    ];
    const { output } = await runTransformation(
      transformation,
      { shipments },
      { instanceId: 'ss-1', parameters: {}, mappings: [], now }
    );
    expect(output).toEqual({
      fulfillmentOrderId: 'fo-3',
      event: { id: 'shipstation-shipment-3', type: 'shipped', tracking: { carrier: 'fedex', number: 'T3' } },
    });
  });

  it('sends the credentials only to ShipStation: a resource_url elsewhere is refused', async () => {
    const calls = server.requests.length;
    await expect(
      shipStationPlugin.enrich!(
        connection,
        'SHIP_NOTIFY',
        { resource_url: 'http://127.0.0.1:9/shipments?batchId=1', resource_type: 'SHIP_NOTIFY' },
        http
      )
    ).rejects.toMatchObject({ step: 'enrichment' });
    expect(server.requests.length).toBe(calls);
  });
});
