/**
 * BigCommerce: the order transformation on the published order 218, the webhook's custom header and
 * Standard Webhooks checks, and the order read against the local BigCommerce server.
 */
import * as crypto from 'node:crypto';
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type { ProviderConnection, WebhookRequest } from '../../shared/ports/provider-plugins';
import { bigCommercePlugin } from '../../shared/providers/bigcommerce/plugin';
import { parseJsonLossless } from '../../shared/domain/providers/parse-json-lossless';
import { orderIntakeSchema } from '../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../shared/schemas/validator';
import {
  bigCommerceWebhook,
  startBigCommerceServer,
  type BigCommerceServer,
} from '../support/provider-servers/bigcommerce-server';
import { readProviderPayload } from '../support/provider-servers/request-log';

const validateIntake = compileValidator(orderIntakeSchema(500), 'order intake');
const context = { instanceId: 'bc-1', parameters: {}, mappings: [], now: new Date('2024-01-01T00:00:00Z') };
const payload = (name: string): unknown => parseJsonLossless(readProviderPayload(`bigcommerce/${name}`));

const connection = (overrides: Partial<ProviderConnection> = {}): ProviderConnection => ({
  instanceId: 'bc-1',
  parameters: { storeHash: 'abc123def4' },
  secrets: { accessToken: 'token', webhookSecret: 'custom-secret', clientSecret: 'client-secret' },
  ...overrides,
});

function request(body: string, headers: Record<string, string>): WebhookRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: { get: (name) => lower.get(name.toLowerCase()) ?? null }, rawBody: Buffer.from(body) };
}

function standardSignature(secret: string, id: string, timestamp: string, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
}

describe('BigCommerce order transformation', () => {
  const transformation = bigCommercePlugin.definition.transformations['store/order/created']!;
  const input = {
    order: payload('v2-get-order.response.json'),
    products: payload('v2-get-order-products.response.json'),
    shippingAddresses: payload('v2-get-order-shipping-addresses.response.json'),
    hook: payload('webhook-store-order-created.docs.json'),
  };

  it('turns order 218 with its products and shipping addresses into the order intake', async () => {
    const { output } = await runTransformation(transformation, input, context);
    expect(output).toEqual({
      externalId: '218',
      currency: 'USD',
      customer: { email: 'janedoe@example.com', name: 'Jane Doe', accountId: '11' },
      shipTo: {
        line1: '666 Sussex St',
        city: 'San Antonio',
        state: 'Texas',
        postalCode: '78251',
        country: 'US',
      },
      lines: [
        { lineId: '65', sku: 'S-ORAN', quantity: 1, unitPrice: 5599 },
        { lineId: '66', sku: 'ABS', quantity: 1, unitPrice: 0 },
      ],
    });
    expect(() => validateIntake(output)).not.toThrow();
  });

  it('marks a cancelled order, leaves out a guest account and keeps an id beyond 2^53 exact', async () => {
    const order = parseJsonLossless(
      readProviderPayload('bigcommerce/v2-get-order.response.json')
        .replace('"id": 218', '"id": 12345678901234567890')
        .replace('"status_id": 7', '"status_id": 5')
        .replace('"customer_id": 11', '"customer_id": 0')
    );
    const { output } = await runTransformation(transformation, { ...input, order }, context);
    const intake = output as { externalId: string; cancelled?: boolean; customer: Record<string, unknown> };
    expect(intake.externalId).toBe('12345678901234567890');
    expect(intake.cancelled).toBe(true);
    expect(intake.customer.accountId).toBeUndefined();
    const { cancelled: _cancelled, ...rest } = intake;
    expect(() => validateIntake(rest)).not.toThrow();
  });

  it('has a transformation for every message type', () => {
    for (const type of bigCommercePlugin.definition.messageTypes) {
      expect(typeof bigCommercePlugin.definition.transformations[type.name]).toBe('string');
    }
  });
});

describe('BigCommerce webhook check', () => {
  const verify: NonNullable<typeof bigCommercePlugin.verifyWebhook> = (c, r) =>
    bigCommercePlugin.verifyWebhook!(c, r);
  const body = readProviderPayload('bigcommerce/webhook-store-order-statusUpdated.docs.json');

  it('accepts the custom header and names the scope and hash', () => {
    expect(verify(connection(), request(body, { 'X-Webhook-Secret': 'custom-secret' }))).toEqual({
      ok: true,
      messageType: 'store/order/statusUpdated',
      deliveryId: '7ee67cd1cf2ca60bc1aa9e5fe957d2de373be4ca',
    });
  });

  it('honours a configured header name', () => {
    const check = verify(
      connection({ parameters: { storeHash: 'abc', webhookHeader: 'X-Hook-Key' } }),
      request(body, { 'x-hook-key': 'custom-secret' })
    );
    expect(check.ok).toBe(true);
  });

  it('refuses a wrong or missing custom header with 401', () => {
    expect(verify(connection(), request(body, { 'X-Webhook-Secret': 'wrong' }))).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verify(connection(), request(body, {}))).toMatchObject({ ok: false, status: 401 });
    expect(
      verify(connection({ secrets: { accessToken: 't' } }), request(body, { 'X-Webhook-Secret': '' }))
    ).toMatchObject({ ok: false, status: 401 });
  });

  it('verifies a Standard Webhooks signature and takes webhook-id as the delivery id', () => {
    const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
    const timestamp = '1700000000';
    const signature = standardSignature('client-secret', id, timestamp, body);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,bm90IHRoaXMgb25l v1,${signature}`,
    };
    expect(verify(connection(), request(body, headers))).toEqual({
      ok: true,
      messageType: 'store/order/statusUpdated',
      deliveryId: id,
    });
    const tampered = body.replace('"id": 250', '"id": 251');
    expect(verify(connection(), request(tampered, headers))).toMatchObject({ ok: false, status: 401 });
    expect(
      verify(connection(), request(body, { ...headers, 'webhook-timestamp': '1700000001' }))
    ).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses with 400 a body that is not an order hook we take', () => {
    const ok = { 'X-Webhook-Secret': 'custom-secret' };
    expect(verify(connection(), request('not json', ok))).toMatchObject({ ok: false, status: 400 });
    expect(
      verify(connection(), request(body.replace('store/order/statusUpdated', 'store/product/updated'), ok))
    ).toMatchObject({ ok: false, status: 400 });
    expect(
      verify(connection(), request(JSON.stringify({ scope: 'store/order/created', hash: 'h', data: {} }), ok))
    ).toMatchObject({ ok: false, status: 400 });
  });
});

describe('BigCommerce order read', () => {
  let server: BigCommerceServer;
  beforeEach(async () => {
    server = await startBigCommerceServer({ orders: 2 });
  });
  afterEach(() => server.close());

  it('reads the order, products and shipping addresses, waiting as the 429 says', async () => {
    const waits: number[] = [];
    const http = new ProviderHttpClient({
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
      maxDelayMs: 60_000,
    });
    const record = server.orders[1]!;
    const hook = JSON.parse(
      bigCommerceWebhook('store/order/created', record.order.id, server.storeHash)
    ) as unknown;
    server.inject429(1);
    const enriched = (await bigCommercePlugin.enrich!(
      connection({
        parameters: { apiUrl: server.url, storeHash: server.storeHash },
        secrets: { accessToken: server.accessToken },
      }),
      'store/order/created',
      hook,
      http
    )) as { order: { id: number }; products: unknown[]; shippingAddresses: unknown[]; hook: unknown };

    expect(enriched.order.id).toBe(record.order.id);
    expect(enriched.products).toEqual(record.products);
    // The server points the addresses' links at itself; the addresses are the record's.
    expect(enriched.shippingAddresses.map((address) => (address as { id: number }).id)).toEqual(
      record.shippingAddresses.map((address) => address.id)
    );
    expect(enriched.hook).toBe(hook);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    const first429 = server.requests[0]!;
    expect(first429.status).toBe(429);
    expect(server.requests.slice(1).map((r) => [r.path, r.headers['x-auth-token'], r.status])).toEqual([
      [`/stores/${server.storeHash}/v2/orders/${record.order.id}`, server.accessToken, 200],
      [`/stores/${server.storeHash}/v2/orders/${record.order.id}/products`, server.accessToken, 200],
      [
        `/stores/${server.storeHash}/v2/orders/${record.order.id}/shipping_addresses`,
        server.accessToken,
        200,
      ],
    ]);

    const { output } = await runTransformation(
      bigCommercePlugin.definition.transformations['store/order/created']!,
      enriched,
      context
    );
    expect(output).toMatchObject({
      externalId: String(record.order.id),
      lines: [{ sku: 'S-ORAN' }, { sku: 'ABS' }],
    });
  });

  it('takes 204 as no products', async () => {
    const responses = new Map([
      ['/orders/7', { status: 200, text: '{"id":7}' }],
      ['/orders/7/products', { status: 204, text: '' }],
      ['/orders/7/shipping_addresses', { status: 204, text: '' }],
    ]);
    const http = {
      request: ({ url }: { url: string }) => {
        const found = responses.get(url.slice(url.indexOf('/orders/')).replace('/v2', ''))!;
        return Promise.resolve({ ...found, headers: { get: () => null } });
      },
    };
    const enriched = await bigCommercePlugin.enrich!(
      connection(),
      'store/order/updated',
      { data: { id: 7 } },
      http
    );
    expect(enriched).toEqual({
      order: { id: 7 },
      products: [],
      shippingAddresses: [],
      hook: { data: { id: 7 } },
    });
  });
});
