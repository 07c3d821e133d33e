/**
 * The built-in Shopify provider: its transformation on the SDK's order fixture and on a modern order,
 * its webhook check, and its poller against the local Admin API server.
 */
import { isSafeNumber, parse } from 'lossless-json';
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import type { OrderIntake } from '../../shared/domain/orders/order';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type { ValueMapping } from '../../shared/domain/providers/value-mappings';
import type {
  PolledMessage,
  PollPosition,
  ProviderConnection,
  WebhookRequest,
} from '../../shared/ports/provider-plugins';
import { shopifyDefinition } from '../../shared/providers/shopify/definition';
import { shopifyPlugin } from '../../shared/providers/shopify/plugin';
import { createShopifyPoller } from '../../shared/providers/shopify/poller';
import { verifyShopifyWebhook } from '../../shared/providers/shopify/webhook';
import { orderIntakeSchema } from '../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../shared/schemas/validator';
import {
  shopifyJson,
  shopifyOrders,
  shopifyWebhookHeaders,
  startShopifyAdminServer,
  type ShopifyAdminServer,
} from '../support/provider-servers/shopify-admin-server';
import { readProviderPayload } from '../support/provider-servers/request-log';

const validateIntake = compileValidator<OrderIntake>(orderIntakeSchema(500), 'order');

/** What the pipeline hands a transformation: integers beyond 2^53 as text, other numbers as numbers. */
function losslessBody(text: string): unknown {
  return parse(text, null, (value) => (isSafeNumber(value) ? Number(value) : value));
}

const fixtureText = readProviderPayload('shopify/rest-order.shopify-api-ruby-fixture.json');
const fixtureOrder = (losslessBody(fixtureText) as { order: Record<string, unknown> }).order;

const context = (mappings: ValueMapping[] = []) => ({
  instanceId: 'shopify-demo',
  parameters: { shopUrl: 'https://demo.myshopify.com' },
  mappings,
  now: new Date('2024-10-01T00:00:00Z'),
});

async function transform(order: unknown, mappings: ValueMapping[] = []) {
  return runTransformation(shopifyDefinition.transformations.order!, order, context(mappings));
}

/** A modern order (REST 2024-10 field set), its id beyond 2^53, written after shopify.dev's Order resource. */
const modernOrderText = `{
  "id": 12345678901234567890,
  "admin_graphql_api_id": "gid://shopify/Order/12345678901234567890",
  "name": "#1042",
  "email": "",
  "contact_email": "ana.lima@example.com",
  "created_at": "2024-10-02T09:15:00-04:00",
  "updated_at": "2024-10-02T09:20:00-04:00",
  "cancelled_at": null,
  "currency": "EUR",
  "presentment_currency": "EUR",
  "current_total_price": "57.30",
  "current_total_price_set": {
    "shop_money": { "amount": "57.30", "currency_code": "EUR" },
    "presentment_money": { "amount": "57.30", "currency_code": "EUR" }
  },
  "customer": {
    "id": 9007199254740993,
    "email": "ana.lima@example.com",
    "first_name": "Ana",
    "last_name": "Lima",
    "default_address": { "country_code": "PT" }
  },
  "billing_address": {
    "first_name": "Ana", "last_name": "Lima", "address1": "Rua Augusta 10", "address2": null,
    "city": "Lisboa", "province": "Lisboa", "province_code": null, "zip": "1100-053",
    "country": "Portugal", "country_code": "PT", "latitude": null, "longitude": null, "name": "Ana Lima"
  },
  "shipping_address": {
    "first_name": "Ana", "last_name": "Lima", "address1": "Avenida da Liberdade 110", "address2": "3º Esq",
    "city": "Lisboa", "province": "Lisboa", "province_code": "11", "zip": "1269-046",
    "country": "Portugal", "country_code": "PT", "latitude": 38.7197, "longitude": -9.1456,
    "name": "Ana Lima", "company": null, "phone": null
  },
  "line_items": [
    {
      "id": 12345678901234567891,
      "variant_id": 44556677889900,
      "product_id": 11223344556677,
      "sku": "TSHIRT-BLUE-M",
      "name": "T-shirt - Blue / M",
      "quantity": 2,
      "current_quantity": 2,
      "fulfillable_quantity": 2,
      "price": "19.90",
      "price_set": {
        "shop_money": { "amount": "19.90", "currency_code": "EUR" },
        "presentment_money": { "amount": "19.90", "currency_code": "EUR" }
      },
      "total_discount": "0.00"
    },
    {
      "id": 12345678901234567892,
      "variant_id": 44556677889901,
      "sku": "",
      "name": "Gift wrap",
      "quantity": 1,
      "price_set": {
        "shop_money": { "amount": "3.50", "currency_code": "EUR" },
        "presentment_money": { "amount": "3.50", "currency_code": "EUR" }
      }
    },
    {
      "id": 12345678901234567893,
      "variant_id": 44556677889902,
      "sku": "MUG-01",
      "quantity": 0,
      "price": "14.00"
    }
  ],
  "shipping_lines": [{ "code": "Standard", "price": "4.00", "title": "Standard" }]
}`;

describe('Shopify transformation', () => {
  it('turns the SDK order fixture (older field set) into an order intake, mapping what has a mapping', async () => {
    const { output, unmapped } = await transform(fixtureOrder, [
      { type: 'sku', external: 'IPOD2008GREEN', internal: 'ipod-green' },
      { type: 'country', external: 'US', internal: 'US' },
    ]);
    const expected: OrderIntake = {
      externalId: '450789469',
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
      lines: [
        { lineId: '466157049', sku: 'ipod-green', quantity: 1, unitPrice: 19900 },
        { lineId: '518995019', sku: 'IPOD2008RED', quantity: 1, unitPrice: 19900 },
        { lineId: '703073504', sku: 'IPOD2008BLACK', quantity: 1, unitPrice: 19900 },
      ],
    };
    expect(output).toEqual(expected);
    expect(validateIntake(output)).toEqual(expected);
    expect(unmapped).toEqual(
      expect.arrayContaining([
        { type: 'sku', value: 'IPOD2008RED' },
        { type: 'sku', value: 'IPOD2008BLACK' },
        { type: 'account', value: '207119551' },
      ])
    );
  });

  it('reads a modern order: big ids exact, money sets, variant id for a missing SKU, quantity 0 left out', async () => {
    const body = losslessBody(modernOrderText);
    const { output } = await transform(body, [
      { type: 'account', external: '9007199254740993', internal: 'acct-ana' },
    ]);
    const expected: OrderIntake = {
      externalId: '12345678901234567890',
      currency: 'EUR',
      customer: { email: 'ana.lima@example.com', name: 'Ana Lima', accountId: 'acct-ana' },
      shipTo: {
        line1: 'Avenida da Liberdade 110',
        line2: '3º Esq',
        city: 'Lisboa',
        state: '11',
        postalCode: '1269-046',
        country: 'PT',
        lat: 38.7197,
        lon: -9.1456,
      },
      lines: [
        { lineId: '12345678901234567891', sku: 'TSHIRT-BLUE-M', quantity: 2, unitPrice: 1990 },
        { lineId: '12345678901234567892', sku: '44556677889901', quantity: 1, unitPrice: 350 },
      ],
    };
    expect(output).toEqual(expected);
    expect(validateIntake(output)).toEqual(expected);
  });

  it('falls back to the billing address and its name when there is no shipping address', async () => {
    const body = losslessBody(modernOrderText) as Record<string, unknown>;
    delete body.shipping_address;
    delete body.customer;
    const { output } = await transform(body);
    const intake = validateIntake(output);
    expect(intake.customer).toEqual({ email: 'ana.lima@example.com', name: 'Ana Lima' });
    expect(intake.shipTo).toEqual({
      line1: 'Rua Augusta 10',
      city: 'Lisboa',
      state: 'Lisboa',
      postalCode: '1100-053',
      country: 'PT',
    });
  });

  it('says cancelled: true when cancelled_at is set', async () => {
    const { output } = await transform({ ...fixtureOrder, cancelled_at: '2008-01-11T09:00:00-05:00' });
    expect(output).toMatchObject({ externalId: '450789469', cancelled: true });
    const { output: open } = await transform(fixtureOrder);
    expect(open).not.toHaveProperty('cancelled');
  });

  it('serves every message type of the definition with a transformation', () => {
    for (const type of shopifyDefinition.messageTypes) {
      expect(shopifyDefinition.transformations[type.name]).toEqual(expect.any(String));
    }
    expect(shopifyPlugin.definition).toBe(shopifyDefinition);
  });
});

describe('Shopify webhook check', () => {
  const secret = 'shpss_client_secret';
  const connection: ProviderConnection = {
    instanceId: 'shopify-demo',
    parameters: {},
    secrets: { webhookSecret: secret },
  };
  const body = Buffer.from(modernOrderText);

  function request(headers: Record<string, string>, rawBody: Buffer = body): WebhookRequest {
    return { headers: new Headers(headers), rawBody };
  }
  const signed = (overrides: Partial<Parameters<typeof shopifyWebhookHeaders>[0]> = {}) =>
    shopifyWebhookHeaders({
      topic: 'orders/create',
      body,
      secret,
      shopDomain: 'demo.myshopify.com',
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      ...overrides,
    });

  it('accepts a signed delivery, naming its topic and webhook id', () => {
    expect(verifyShopifyWebhook(connection, request(signed()))).toEqual({
      ok: true,
      messageType: 'orders/create',
      deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    });
  });

  it('accepts the lowercase un-prefixed header names of Events deliveries', () => {
    const headers = signed({ topic: 'orders/updated' });
    const events = {
      'shopify-hmac-sha256': headers['X-Shopify-Hmac-Sha256']!,
      'shopify-topic': 'orders/updated',
      'shopify-shop-domain': 'demo.myshopify.com',
      'shopify-api-version': '2024-10',
      'shopify-event-id': 'evt-1',
    };
    expect(verifyShopifyWebhook(connection, request(events))).toEqual({
      ok: true,
      messageType: 'orders/updated',
      deliveryId: 'evt-1',
    });
  });

  it('refuses a wrong secret, a missing hmac and a body altered by one byte with 401', () => {
    const wrong = verifyShopifyWebhook(
      { ...connection, secrets: { webhookSecret: 'another secret' } },
      request(signed())
    );
    expect(wrong).toMatchObject({ ok: false, status: 401 });
    const { ['X-Shopify-Hmac-Sha256']: _hmac, ...unsigned } = signed();
    expect(verifyShopifyWebhook(connection, request(unsigned))).toMatchObject({ ok: false, status: 401 });
    const altered = Buffer.from(body);
    altered[10] = altered[10]! ^ 1;
    expect(verifyShopifyWebhook(connection, request(signed(), altered))).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses with 401 when the instance has no webhook secret', () => {
    expect(verifyShopifyWebhook({ ...connection, secrets: {} }, request(signed()))).toEqual({
      ok: false,
      status: 401,
      reason: 'no webhookSecret is configured for this instance',
    });
  });

  it('refuses a delivery without topic with 400 naming the header, and a topic not taken', () => {
    const { ['X-Shopify-Topic']: _topic, ['X-Shopify-Webhook-Id']: _id, ...headers } = signed();
    expect(verifyShopifyWebhook(connection, request(headers))).toEqual({
      ok: false,
      status: 400,
      reason: 'missing headers: X-Shopify-Topic, X-Shopify-Webhook-Id',
    });
    expect(verifyShopifyWebhook(connection, request(signed({ topic: 'products/update' })))).toEqual({
      ok: false,
      status: 400,
      reason: 'topic products/update is not taken by this provider',
    });
  });
});

describe('Shopify poller', () => {
  let shopify: ShopifyAdminServer;
  afterEach(async () => shopify?.close());

  const http = new ProviderHttpClient({ baseDelayMs: 1, sleep: () => Promise.resolve() });
  const connectionTo = (server: ShopifyAdminServer, pageSize = 2): ProviderConnection => ({
    instanceId: 'shopify-demo',
    parameters: { shopUrl: server.url, apiVersion: server.apiVersion, pageSize, polling: true },
    secrets: { accessToken: server.accessToken },
  });

  it('walks every page through a 429, ids beyond 2^53 exact, and ends at the last updated_at', async () => {
    const orders = shopifyOrders(6, { bigIds: true, startUpdatedAt: '2024-03-01T12:00:00Z' });
    shopify = await startShopifyAdminServer({ orders });
    const waits: number[] = [];
    const sleeps: number[] = [];
    const client = new ProviderHttpClient({
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const poller = createShopifyPoller({ sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
    const connection = connectionTo(shopify);
    const since = '2024-03-01T06:00:00-05:00';
    let position: PollPosition = { since };
    const messages: PolledMessage[] = [];
    const positions: PollPosition[] = [];
    for (let page = 0; page < 10; page++) {
      if (page === 1) shopify.inject429(1, 2);
      const result = await poller.nextPage(connection, position, client, new Date());
      messages.push(...result.messages);
      positions.push(result.position);
      position = result.position;
      if (position.cursor === undefined) break;
    }
    expect(positions).toHaveLength(3);
    expect(waits).toEqual([2000]);
    expect(sleeps).toEqual([]);
    expect(messages.map((message) => message.text)).toEqual(orders.map((order) => shopifyJson(order)));
    expect(messages.map((message) => message.messageId)).toEqual(
      orders.map((order) => `${order.id.toString()}@${order.updated_at}`)
    );
    expect(messages.every((message) => message.messageType === 'order')).toBe(true);
    expect(BigInt(orders[0]!.id)).toBeGreaterThan(2n ** 53n);
    expect(positions[0]).toEqual({ since, highWater: orders[1]!.updated_at, cursor: expect.any(String) });
    expect(position).toEqual({ since: orders[5]!.updated_at });

    const queries = shopify.requests.map((entry) => entry.query);
    expect(shopify.requests.map((entry) => entry.status)).toEqual([200, 429, 200, 200]);
    expect(
      shopify.requests.every((entry) => entry.headers['x-shopify-access-token'] === shopify.accessToken)
    ).toBe(true);
    expect(queries[0]).toEqual({ status: 'any', limit: '2', updated_at_min: since });
    for (const later of queries.slice(1)) expect(Object.keys(later).sort()).toEqual(['limit', 'page_info']);
  });

  it('starts from the beginning without since, and a run with no orders keeps no position', async () => {
    shopify = await startShopifyAdminServer({ orders: [] });
    const page = await shopifyPlugin.poller!.nextPage(connectionTo(shopify), {}, http, new Date());
    expect(page).toEqual({ messages: [], position: {} });
    expect(shopify.requests[0]!.query).toEqual({ status: 'any', limit: '2' });
  });

  it('keeps the since it started from when a run finds nothing newer', async () => {
    shopify = await startShopifyAdminServer({
      orders: shopifyOrders(1, { startUpdatedAt: '2024-01-01T00:00:00Z' }),
    });
    const since = '2025-01-01T00:00:00Z';
    const page = await shopifyPlugin.poller!.nextPage(connectionTo(shopify), { since }, http, new Date());
    expect(page).toEqual({ messages: [], position: { since } });
  });

  it('waits before the next page when the call-limit bucket is nearly full', async () => {
    shopify = await startShopifyAdminServer({ orders: 4, bucketSize: 3, leakPerSecond: 0.001 });
    const sleeps: number[] = [];
    const poller = createShopifyPoller({ sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
    const page = await poller.nextPage(connectionTo(shopify), {}, http, new Date());
    expect(page.position.cursor).toEqual(expect.any(String));
    expect(sleeps).toEqual([500]);
  });

  it('refuses to poll without an access token', async () => {
    shopify = await startShopifyAdminServer({ orders: 1 });
    const connection = { ...connectionTo(shopify), secrets: {} };
    await expect(shopifyPlugin.poller!.nextPage(connection, {}, http, new Date())).rejects.toThrow(
      'Polling Shopify needs an access token.'
    );
    expect(shopify.requests).toHaveLength(0);
  });
});
