/**
 * Adobe Commerce: the order transformation on the docs' order (bundle and configurable items), and
 * the updated_at poller against the local Magento server: pages until total_count, a fixed window
 * end, a 429 waited out, and ids kept exact.
 */
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type { PolledMessage, PollPosition, ProviderConnection } from '../../shared/ports/provider-plugins';
import { adobeCommercePlugin } from '../../shared/providers/adobe-commerce/plugin';
import { jsonArrayItems } from '../../shared/providers/common/json-items';
import { parseJsonLossless } from '../../shared/domain/providers/parse-json-lossless';
import { orderIntakeSchema } from '../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../shared/schemas/validator';
import {
  adobeCommerceOrders,
  startAdobeCommerceServer,
  type AdobeCommerceServer,
} from '../support/provider-servers/adobe-commerce-server';
import { readProviderPayload } from '../support/provider-servers/request-log';

const validateIntake = compileValidator(orderIntakeSchema(500), 'order intake');
const context = {
  instanceId: 'adobe-1',
  parameters: {},
  mappings: [],
  now: new Date('2024-01-01T00:00:00Z'),
};
const orderText = readProviderPayload('adobe-commerce/rest-v1-get-order.response.trimmed.json');

describe('Adobe Commerce order transformation', () => {
  const transformation = adobeCommercePlugin.definition.transformations.order!;

  it('turns the docs order into one line per unit: bundle children, configurable parents', async () => {
    const { output } = await runTransformation(transformation, parseJsonLossless(orderText), context);
    expect(output).toEqual({
      externalId: '3',
      currency: 'USD',
      customer: { email: 'jdoe@example.com', name: 'Jane Doe' },
      shipTo: { line1: '123 Oak Ave', city: 'Purchase', state: 'NY', postalCode: '10577', country: 'US' },
      lines: [
        { lineId: '3', sku: 'WS12-M-Orange', quantity: 1, unitPrice: 2200 },
        { lineId: '4', sku: '240-LV08', quantity: 1, unitPrice: 1800 },
        { lineId: '6', sku: '24-WG082-blue', quantity: 1, unitPrice: 2700 },
        { lineId: '7', sku: '24-WG084', quantity: 1, unitPrice: 500 },
        { lineId: '8', sku: '24-WG086', quantity: 1, unitPrice: 1700 },
        { lineId: '9', sku: '24-WG088', quantity: 1, unitPrice: 1900 },
        { lineId: '10', sku: 'MH01-S-Gray', quantity: 1, unitPrice: 5200 },
      ],
    });
    expect(() => validateIntake(output)).not.toThrow();
    // The lines add up to the order's subtotal (160).
    const lines = (output as { lines: { quantity: number; unitPrice: number }[] }).lines;
    expect(lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0)).toBe(16000);
  });

  it('marks a canceled order and keeps decimal prices and a large id exact', async () => {
    const text = orderText
      .replace('"entity_id": 3,', '"entity_id": 98765432109876543210,')
      .replace('"state": "new"', '"state": "canceled"')
      .replace('"price": 22,', '"price": 29.5,');
    const { output } = await runTransformation(transformation, parseJsonLossless(text), context);
    const intake = output as { externalId: string; cancelled?: boolean; lines: { unitPrice: number }[] };
    expect(intake.externalId).toBe('98765432109876543210');
    expect(intake.cancelled).toBe(true);
    expect(intake.lines[0]!.unitPrice).toBe(2950);
  });
});

describe('Adobe Commerce poller', () => {
  let server: AdobeCommerceServer;
  afterEach(() => server.close());

  const connectionTo = (s: AdobeCommerceServer, pageSize = 2): ProviderConnection => ({
    instanceId: 'adobe-1',
    parameters: { baseUrl: s.url, storeCode: s.storeCode, pageSize },
    secrets: { accessToken: s.token },
  });

  async function run(
    connection: ProviderConnection,
    start: PollPosition,
    now: Date,
    http = new ProviderHttpClient({ sleep: () => Promise.resolve() })
  ): Promise<{ messages: PolledMessage[]; positions: PollPosition[] }> {
    const messages: PolledMessage[] = [];
    const positions: PollPosition[] = [];
    let position = start;
    for (let pages = 0; pages < 20; pages++) {
      const page = await adobeCommercePlugin.poller!.nextPage(connection, position, http, now);
      messages.push(...page.messages);
      positions.push(page.position);
      position = page.position;
      if (page.position.cursor === undefined) break;
    }
    return { messages, positions };
  }

  it('reads every page of the window once, stops by total_count and ends at the window end', async () => {
    const orders = adobeCommerceOrders(5, { startUpdatedAt: '2024-01-01T00:00:00Z' });
    // An id beyond 2^53 must reach the message text and id digit for digit.
    (orders[2] as { entity_id: unknown }).entity_id = 12345678901234567890n;
    // Changed after the run started: the next run's.
    orders.push(...adobeCommerceOrders(1, { startId: 99, startUpdatedAt: '2024-01-01T00:10:00Z' }));
    server = await startAdobeCommerceServer({ orders });
    const now = new Date('2024-01-01T00:10:00.500Z');
    const { messages, positions } = await run(connectionTo(server), {}, now);

    expect(messages.map((m) => m.messageId)).toEqual([
      '1@2024-01-01 00:00:00',
      '2@2024-01-01 00:00:01',
      '12345678901234567890@2024-01-01 00:00:02',
      '4@2024-01-01 00:00:03',
      '5@2024-01-01 00:00:04',
    ]);
    expect(messages[2]!.text).toContain('"entity_id":12345678901234567890,');
    expect(messages[0]!.text).toBe(JSON.stringify(orders[0]));
    expect(messages.every((m) => m.messageType === 'order')).toBe(true);
    expect(positions).toEqual([
      { cursor: '2', until: '2024-01-01 00:09:59', highWater: '2024-01-01 00:00:01' },
      { cursor: '3', until: '2024-01-01 00:09:59', highWater: '2024-01-01 00:00:03' },
      { since: '2024-01-01 00:09:59' },
    ]);
    expect(server.requests.map((r) => r.query)).toEqual(
      [1, 2, 3].map((page) => ({
        'searchCriteria[filter_groups][0][filters][0][field]': 'updated_at',
        'searchCriteria[filter_groups][0][filters][0][value]': '2024-01-01 00:09:59',
        'searchCriteria[filter_groups][0][filters][0][condition_type]': 'lteq',
        'searchCriteria[sortOrders][0][field]': 'updated_at',
        'searchCriteria[sortOrders][0][direction]': 'ASC',
        'searchCriteria[sortOrders][1][field]': 'entity_id',
        'searchCriteria[sortOrders][1][direction]': 'ASC',
        'searchCriteria[pageSize]': '2',
        'searchCriteria[currentPage]': String(page),
      }))
    );
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${server.token}`)).toBe(true);

    // The next run starts where this one ended and finds the order changed meanwhile.
    const next = await run(connectionTo(server), positions[2]!, new Date('2024-01-01T00:20:00Z'));
    expect(next.messages.map((m) => m.messageId)).toEqual(['99@2024-01-01 00:10:00']);
    expect(server.requests.at(-1)!.query).toMatchObject({
      'searchCriteria[filter_groups][0][filters][0][value]': '2024-01-01 00:09:59',
      'searchCriteria[filter_groups][0][filters][0][condition_type]': 'gteq',
      'searchCriteria[filter_groups][1][filters][0][value]': '2024-01-01 00:19:59',
      'searchCriteria[filter_groups][1][filters][0][condition_type]': 'lteq',
    });
  });

  it('waits out a 429 and carries on', async () => {
    server = await startAdobeCommerceServer({ orders: 3 });
    server.inject429(1);
    const waits: number[] = [];
    const http = new ProviderHttpClient({ sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    const { messages } = await run(connectionTo(server, 100), {}, new Date('2024-02-01T00:00:00Z'), http);
    expect(messages).toHaveLength(3);
    expect(waits).toHaveLength(1);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('ends a run with nothing new at the window end', async () => {
    server = await startAdobeCommerceServer({ orders: 0 });
    const { messages, positions } = await run(
      connectionTo(server),
      { since: '2024-01-01 00:00:00' },
      new Date('2024-01-01T01:00:00Z')
    );
    expect(messages).toEqual([]);
    expect(positions).toEqual([{ since: '2024-01-01 00:59:59' }]);
  });
});

describe('exact item texts', () => {
  it('cuts each element as written, strings with brackets and escapes included', () => {
    const text =
      '{ "search_criteria": {"a": [1, {"b": "]}"}]}, "items" : [ {"x": "a\\"]}", "id": 123456789012345678901} ,\n [1,2], "s", 7 ], "total_count": 4 }';
    expect(jsonArrayItems(text, 'items')).toEqual([
      '{"x": "a\\"]}", "id": 123456789012345678901}',
      '[1,2]',
      '"s"',
      '7',
    ]);
    expect(jsonArrayItems(' [ {"a":1}, {"b":[]} ] ')).toEqual(['{"a":1}', '{"b":[]}']);
    expect(jsonArrayItems('{"other": []}', 'items')).toEqual([]);
  });
});
