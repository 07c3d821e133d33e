/**
 * FedEx REST through the real provider HTTP client against the local FedEx server: the OAuth token
 * shared by the calls, rate quotes and shipments (request shape per the docs, effects), FedEx's error
 * message on 400, retries on 503, and the tracking poller turning a delivered scan into a
 * fulfillment order event.
 */
import { parseJsonLossless } from '../../shared/domain/providers/parse-json-lossless';
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type {
  ActionCall,
  OpenShipment,
  ProviderConnection,
  ProviderPlugin,
} from '../../shared/ports/provider-plugins';
import { builtInProviders } from '../../shared/providers/built-in-providers';
import { ClientCredentialsTokens } from '../../shared/providers/common/oauth-token';
import { createFedExPlugin } from '../../shared/providers/fedex/plugin';
import { fulfillmentOrderEventSchema } from '../../shared/schemas/fulfillment-order-event.schema';
import { compileValidator } from '../../shared/schemas/validator';
import { fulfillmentOrderSubject } from '../support/fulfillment-order-subject';
import { startFedExServer, type FedExServer } from '../support/provider-servers/fedex-server';

const validateEvent = compileValidator(fulfillmentOrderEventSchema, 'fulfillment order event');
const now = new Date('2026-12-02T10:00:00Z');
const http = new ProviderHttpClient({ baseDelayMs: 1, sleep: () => Promise.resolve() });

let server: FedExServer;
let connection: ProviderConnection;
let plugin: ProviderPlugin;

beforeAll(async () => {
  server = await startFedExServer();
  plugin = createFedExPlugin(new ClientCredentialsTokens());
  connection = {
    instanceId: 'fx-1',
    parameters: {
      baseUrl: server.url,
      accountNumber: server.accountNumber,
      serviceType: 'FEDEX_GROUND',
      packagingType: 'YOUR_PACKAGING',
      pickupType: 'DROPOFF_AT_FEDEX_LOCATION',
      labelImageType: 'PDF',
      labelStockType: 'PAPER_85X11_TOP_HALF_LABEL',
      shipFromName: 'DC East',
      shipFromPhone: '5550100',
      shipFromLine1: '1 Dock Rd',
      shipFromCity: 'Austin',
      shipFromState: 'TX',
      shipFromPostalCode: '78703',
      shipFromCountry: 'US',
      packageWeight: 40,
      weightUnit: 'oz',
      polling: true,
      pollIntervalSeconds: 1800,
    },
    secrets: { clientId: server.clientId, clientSecret: server.clientSecret },
  };
});
afterAll(() => server.close());
afterEach(() => server.faults.accept());

function call(action: string, overrides: Partial<ActionCall> = {}): ActionCall {
  return {
    connection,
    action,
    subject: fulfillmentOrderSubject(),
    idempotencyKey: `run-${action}`,
    now,
    ...overrides,
  };
}
const act = (action: string, overrides: Partial<ActionCall> = {}) =>
  plugin.actions![action]!(call(action, overrides), http);
const lastBody = (path: string) =>
  JSON.parse(server.requests.filter((r) => r.path === path).at(-1)!.body) as Record<string, unknown>;
const tokenCalls = () => server.requests.filter((r) => r.path === '/oauth/token').length;

it('is registered, polls for tracking and declares a handler for each action', () => {
  const registered = builtInProviders.get('fedex')!;
  expect(registered.definition.serviceTypes).toEqual(['carrier']);
  expect(registered.poller?.tracksCarriers).toEqual(['fedex']);
  expect(registered.definition.actions.map((a) => a.name).sort()).toEqual(
    Object.keys(registered.actions!).sort()
  );
});

describe('getRates', () => {
  it('takes a token once, then posts the quote request with the Bearer token and FedEx headers', async () => {
    const before = tokenCalls();
    const answer = await act('getRates');
    await act('getRates');
    expect(tokenCalls() - before).toBe(1);
    const quote = server.requests.filter((r) => r.path === '/rate/v1/rates/quotes').at(-1)!;
    expect(quote).toMatchObject({ method: 'POST', status: 200 });
    expect(quote.headers.authorization).toMatch(/^Bearer fedex-token-/);
    expect(quote.headers['x-locale']).toBe('en_US');
    expect(quote.headers['x-customer-transaction-id']).toBe('run-getRates');
    expect(lastBody('/rate/v1/rates/quotes')).toEqual({
      accountNumber: { value: server.accountNumber },
      requestedShipment: {
        shipper: {
          address: {
            streetLines: ['1 Dock Rd'],
            city: 'Austin',
            stateOrProvinceCode: 'TX',
            postalCode: '78703',
            countryCode: 'US',
          },
        },
        recipient: {
          address: {
            streetLines: ['1600 Pennsylvania Ave', 'Oval Office'],
            city: 'Washington',
            stateOrProvinceCode: 'DC',
            postalCode: '20500',
            countryCode: 'US',
            residential: true,
          },
        },
        serviceType: 'FEDEX_GROUND',
        pickupType: 'DROPOFF_AT_FEDEX_LOCATION',
        packagingType: 'YOUR_PACKAGING',
        rateRequestType: ['ACCOUNT', 'LIST'],
        shipDateStamp: '2026-12-02',
        requestedPackageLineItems: [{ weight: { units: 'LB', value: 2.5 } }],
      },
    });
    // The published sample's rated details (account, list, preferred), in minor units of their currency.
    const rated = (rateType: string, currency: string, totalNetCharge: number) => ({
      serviceType: 'FEDEX_GROUND',
      serviceName: 'FedEx International First',
      rateType,
      currency,
      totalNetCharge,
    });
    expect(answer.effects).toEqual([
      {
        type: 'record',
        name: 'fedex-rates',
        data: {
          rates: [
            rated('ACCOUNT', 'CAD', 44554),
            rated('LIST', 'CAD', 44554),
            rated('PREFERRED_INCENTIVE', 'USD', 34113),
            rated('PREFERRED_CURRENCY', 'USD', 34113),
          ],
        },
      },
    ]);
    expect(answer.detail).toBe('FedEx: 1 service quoted.');
  });

  it("answered 400: a ProviderCallError with FedEx's errors[0].message", async () => {
    server.faults.refuse('Invalid account number.');
    const failure = await act('getRates').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProviderCallError);
    expect(failure).toMatchObject({
      status: 400,
      message: 'Invalid account number. (INVALID.INPUT.EXCEPTION)',
    });
  });
});

describe('createShipment', () => {
  it('creates the shipment with URL_ONLY labels: the FO becomes shipped with the master tracking number', async () => {
    const before = server.shipments.length;
    const answer = await act('createShipment');
    expect(server.shipments.length).toBe(before + 1);
    const trackingNumber = server.shipments.at(-1)!.trackingNumber;
    const sent = lastBody('/ship/v1/shipments');
    expect(sent).toMatchObject({
      labelResponseOptions: 'URL_ONLY',
      accountNumber: { value: server.accountNumber },
      requestedShipment: {
        shipDatestamp: '2026-12-02',
        shipper: {
          contact: { personName: 'DC East', phoneNumber: '5550100' },
          address: { postalCode: '78703' },
        },
        recipients: [
          {
            contact: { personName: 'Jane Doe', emailAddress: 'jane@example.com', phoneNumber: '5550100' },
            address: { postalCode: '20500' },
          },
        ],
        pickupType: 'DROPOFF_AT_FEDEX_LOCATION',
        serviceType: 'FEDEX_GROUND',
        packagingType: 'YOUR_PACKAGING',
        shippingChargesPayment: { paymentType: 'SENDER' },
        labelSpecification: { imageType: 'PDF', labelStockType: 'PAPER_85X11_TOP_HALF_LABEL' },
        requestedPackageLineItems: [
          {
            weight: { units: 'LB', value: 2.5 },
            customerReferences: [{ customerReferenceType: 'CUSTOMER_REFERENCE', value: 'fo-1001' }],
          },
        ],
      },
    });
    expect(answer.effects).toEqual([
      {
        type: 'shipment',
        carrier: 'fedex',
        trackingNumber,
        url: `https://www.fedex.com/fedextrack/?trknbr=${trackingNumber}`,
        labelUrl: `${server.url}/document/v1/labels/${trackingNumber}.pdf`,
        raiseShipped: true,
      },
    ]);
  });

  it('answered 503 twice then 200: one shipment', async () => {
    const before = server.shipments.length;
    const calls = server.requests.length;
    server.faults.failNext(2);
    await act('createShipment');
    expect(
      server.requests
        .slice(calls)
        .filter((r) => r.path === '/ship/v1/shipments')
        .map((r) => r.status)
    ).toEqual([503, 503, 200]);
    expect(server.shipments.length).toBe(before + 1);
  });

  it('a token FedEx no longer takes is renewed once and the call made again', async () => {
    server.revokeTokens();
    const before = tokenCalls();
    const calls = server.requests.length;
    await act('createShipment');
    expect(tokenCalls() - before).toBe(1);
    expect(server.requests.slice(calls).map((r) => [r.path, r.status])).toEqual([
      ['/ship/v1/shipments', 401],
      ['/oauth/token', 200],
      ['/ship/v1/shipments', 200],
    ]);
  });
});

describe('tracking poller', () => {
  it('asks about the open FedEx shipments 30 at a time and turns a delivered one into the FO event', async () => {
    const poller = plugin.poller!;
    const open: OpenShipment[] = [];
    for (let i = 0; i < 32; i++) {
      const trackingNumber = `7946000${String(i).padStart(5, '0')}`;
      server.addShipment(trackingNumber, 'IT');
      open.push({
        fulfillmentOrderId: `fo-t${i}`,
        carrier: 'FedEx',
        trackingNumber,
        shippedAt: '2026-12-01T10:00:00Z',
      });
    }
    open.push({
      fulfillmentOrderId: 'fo-ups',
      carrier: 'ups',
      trackingNumber: '1Z0',
      shippedAt: '2026-12-01T10:00:00Z',
    });
    open.push({
      fulfillmentOrderId: 'fo-unknown',
      carrier: 'fedex',
      trackingNumber: '794699999999',
      shippedAt: '2026-12-01T10:00:00Z',
    });
    server.deliver('794600000031');
    server.deliver('794600000003');

    const calls = server.requests.length;
    const first = await poller.nextPage(connection, {}, http, now, open);
    expect(first.position.cursor).toBeDefined();
    const second = await poller.nextPage(connection, first.position, http, now, open);
    expect(second.position).toEqual({});
    const tracked = server.requests.filter((r) => r.path === '/track/v1/trackingnumbers').slice(-2);
    const asked = tracked.map((b) =>
      (
        JSON.parse(b.body) as { trackingInfo: { trackingNumberInfo: { trackingNumber: string } }[] }
      ).trackingInfo.map((t) => t.trackingNumberInfo.trackingNumber)
    );
    expect(asked[0]).toHaveLength(30);
    expect(asked[1]).toHaveLength(3);
    expect(asked.flat()).not.toContain('1Z0');
    expect(new Set(asked.flat()).size).toBe(33);
    expect(server.requests.slice(calls).every((r) => r.status === 200)).toBe(true);

    const messages = [...first.messages, ...second.messages];
    expect(messages.map((m) => [m.messageType, m.messageId])).toEqual([
      ['track', '794600000003@delivered'],
      ['track', '794600000031@delivered'],
    ]);
    const { output } = await runTransformation(
      plugin.definition.transformations.track!,
      parseJsonLossless(messages[0]!.text),
      { instanceId: 'fx-1', parameters: connection.parameters, mappings: [], now }
    );
    expect(output).toEqual({
      fulfillmentOrderId: 'fo-t3',
      event: {
        id: 'fedex-delivered-794600000003',
        type: 'delivered',
        tracking: {
          carrier: 'fedex',
          number: '794600000003',
          url: 'https://www.fedex.com/fedextrack/?trknbr=794600000003',
        },
      },
    });
    expect(() => validateEvent((output as { event: unknown }).event)).not.toThrow();
  });

  it('without open shipments asks FedEx nothing', async () => {
    const calls = server.requests.length;
    expect(await plugin.poller!.nextPage(connection, {}, http, now, [])).toEqual({
      messages: [],
      position: {},
    });
    expect(server.requests.length).toBe(calls);
  });
});
