/**
 * Orderful: the 850 transformation on a transaction built from the X12 sample, the Poller bucket read
 * page by page and approved against the local Orderful server, and the Inbound HTTP channel's check.
 */
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type {
  PolledMessage,
  PollPosition,
  ProviderConnection,
  WebhookRequest,
} from '../../shared/ports/provider-plugins';
import { parseJsonLossless } from '../../shared/domain/providers/parse-json-lossless';
import { orderfulPlugin } from '../../shared/providers/orderful/plugin';
import { orderIntakeSchema } from '../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../shared/schemas/validator';
import {
  orderfulPurchaseOrders,
  startOrderfulServer,
  type OrderfulServer,
} from '../support/provider-servers/orderful-server';

const validateIntake = compileValidator(orderIntakeSchema(500), 'order intake');
const context = {
  instanceId: 'orderful-1',
  parameters: {},
  mappings: [],
  now: new Date('2024-01-01T00:00:00Z'),
};

describe('Orderful 850 transformation', () => {
  const transformation = orderfulPlugin.definition.transformations['850_PURCHASE_ORDER']!;

  it('turns the 850 (the X12 sample in Orderful JSON) into the order intake', async () => {
    const transaction = orderfulPurchaseOrders(1)[0]!;
    const { output } = await runTransformation(transformation, transaction, context);
    expect(output).toEqual({
      externalId: '365465413',
      currency: 'USD',
      customer: { name: 'Wile E Coyote' },
      shipTo: { line1: '111 Canyon Court', city: 'Phoenix', state: 'AZ', postalCode: '85001', country: 'US' },
      lines: [
        { lineId: 'item-1', sku: 'ACM/8900-400', quantity: 8, unitPrice: 40000 },
        { lineId: 'item-2', sku: 'ACM/1100-001', quantity: 4, unitPrice: 12500 },
      ],
    });
    expect(() => validateIntake(output)).not.toThrow();
  });

  it('takes CUR, defaults the country and prefers VP over VC without SK', async () => {
    const transaction = orderfulPurchaseOrders(1)[0]!;
    const set = transaction.message.transactionSets[0] as Record<string, unknown>;
    set.currency = [{ entityIdentifierCode: 'BY', currencyCode: 'CAD' }];
    const n1 = (set.N1_loop as { geographicLocation: Record<string, string>[] }[])[0]!;
    delete n1.geographicLocation[0]!.countryCode;
    const po1 = (set.PO1_loop as { baselineItemData: Record<string, string>[] }[])[0]!;
    po1.baselineItemData[0] = {
      assignedIdentification: '1',
      quantity: '3',
      unitPrice: '12.5',
      productServiceIDQualifier: 'VC',
      productServiceID: 'CAT-1',
      productServiceIDQualifier1: 'VP',
      productServiceID1: 'PART-1',
    };
    const { output } = await runTransformation(transformation, transaction, context);
    expect(output).toMatchObject({
      currency: 'CAD',
      shipTo: { country: 'US' },
      lines: [{ lineId: '1', sku: 'PART-1', quantity: 3, unitPrice: 1250 }, { lineId: 'item-2' }],
    });
  });
});

describe('Orderful Poller bucket', () => {
  let server: OrderfulServer;
  afterEach(() => server.close());

  const connectionTo = (s: OrderfulServer, limit = 2): ProviderConnection => ({
    instanceId: 'orderful-1',
    parameters: { apiUrl: s.url, bucketId: s.bucketId, limit },
    secrets: { apiKey: s.apiKey },
  });

  async function run(
    connection: ProviderConnection,
    http = new ProviderHttpClient({ sleep: () => Promise.resolve() })
  ): Promise<{ messages: PolledMessage[]; positions: PollPosition[] }> {
    const messages: PolledMessage[] = [];
    const positions: PollPosition[] = [];
    let position: PollPosition = {};
    for (let pages = 0; pages < 20; pages++) {
      const page = await orderfulPlugin.poller!.nextPage(connection, position, http, new Date());
      messages.push(...page.messages);
      positions.push(page.position);
      position = page.position;
      if (page.position.cursor === undefined) break;
    }
    return { messages, positions };
  }

  it('reads the bucket by cursor, then approves each delivery, which empties it', async () => {
    const transactions = orderfulPurchaseOrders(5);
    transactions.push({
      ...orderfulPurchaseOrders(1, { startId: 90000001 })[0]!,
      type: { name: '810_INVOICE' },
    });
    server = await startOrderfulServer({ transactions });
    const http = new ProviderHttpClient({ sleep: () => Promise.resolve() });
    const connection = connectionTo(server);
    const { messages, positions } = await run(connection, http);

    expect(messages.map((m) => m.messageId)).toEqual([
      '80000001',
      '80000002',
      '80000003',
      '80000004',
      '80000005',
    ]);
    expect(messages.every((m) => m.messageType === '850_PURCHASE_ORDER')).toBe(true);
    const first = parseJsonLossless(messages[0]!.text) as { id: string; message: unknown };
    expect(first.id).toBe('80000001');
    expect(first.message).toEqual(transactions[0]!.message);
    expect(positions).toHaveLength(3);
    expect(positions[2]).toEqual({});
    const polls = server.requests.filter((r) => r.method === 'GET');
    expect(polls.map((r) => r.query.limit)).toEqual(['2', '2', '2']);
    expect(polls[0]!.query.nextCursor).toBeUndefined();
    expect(polls[1]!.query.nextCursor).toBe(positions[0]!.cursor);
    expect(server.requests.every((r) => r.headers['orderful-api-key'] === server.apiKey)).toBe(true);

    await orderfulPlugin.poller!.acknowledge!(connection, messages, http);
    expect(server.approved).toEqual(['80000001', '80000002', '80000003', '80000004', '80000005']);
    // Only the invoice, not ours, stays in the bucket.
    expect(server.transactions.map((t) => t.id)).toEqual(['90000001']);
    const again = await run(connection, http);
    expect(again.messages).toEqual([]);
  });

  it('reads a bare-array bucket as one page and waits out a 429', async () => {
    server = await startOrderfulServer({ transactions: 3, bareArray: true });
    server.inject429(1, 2);
    const waits: number[] = [];
    const http = new ProviderHttpClient({ sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    const { messages, positions } = await run(connectionTo(server, 100), http);
    expect(messages).toHaveLength(3);
    expect(positions).toEqual([{}]);
    expect(waits).toEqual([2000]);
    await orderfulPlugin.poller!.acknowledge!(connectionTo(server), messages, http);
    expect(server.transactions).toEqual([]);
  });
});

describe('Orderful Inbound HTTP check', () => {
  const verify: NonNullable<typeof orderfulPlugin.verifyWebhook> = (c, r) =>
    orderfulPlugin.verifyWebhook!(c, r);
  const connection: ProviderConnection = {
    instanceId: 'orderful-1',
    parameters: {},
    secrets: { apiKey: 'k', webhookSecret: 's3cret' },
  };
  const body = JSON.stringify(orderfulPurchaseOrders(1)[0]);
  const request = (text: string, authorization?: string): WebhookRequest => ({
    headers: { get: (name) => (name.toLowerCase() === 'authorization' ? (authorization ?? null) : null) },
    rawBody: Buffer.from(text),
  });
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('accepts the Basic password with any user and names the transaction', () => {
    expect(verify(connection, request(body, basic('orderful', 's3cret')))).toEqual({
      ok: true,
      messageType: '850_PURCHASE_ORDER',
      deliveryId: '80000001',
    });
  });

  it('refuses a wrong or missing password with 401 and another transaction type with 400', () => {
    expect(verify(connection, request(body, basic('orderful', 'nope')))).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verify(connection, request(body))).toMatchObject({ ok: false, status: 401 });
    const invoice = body.replace('850_PURCHASE_ORDER', '810_INVOICE');
    expect(verify(connection, request(invoice, basic('x', 's3cret')))).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});
