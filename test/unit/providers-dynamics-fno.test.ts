/**
 * Dynamics 365 Finance & Operations through the real ProviderHttpClient against the local F&O
 * stand-in: Entra client-credentials tokens (asked once, renewed after a 401), exportSalesOrder
 * creating the header and its lines once however often a run is repeated, OData errors and 429s,
 * and the status poll paging through SalesOrderHeadersV2 by nextLink within a modified-date window.
 */
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type {
  ActionCall,
  ActionSubject,
  PolledMessage,
  PollPosition,
  ProviderConnection,
} from '../../shared/ports/provider-plugins';
import { dynamicsFnoPlugin } from '../../shared/providers/dynamics-fno/plugin';
import { connectionOf } from '../support/provider-connection';
import { startFnoServer, type FnoServer } from '../support/provider-servers/dynamics-fno-server';
import { NOW, order, sentFo } from './fulfillment-orders/fixtures';

const waits: number[] = [];
const http = new ProviderHttpClient({
  baseDelayMs: 1,
  maxAttempts: 4,
  sleep: (ms) => {
    waits.push(ms);
    return Promise.resolve();
  },
});

let server: FnoServer;
let instances = 0;

beforeEach(async () => {
  waits.length = 0;
  server = await startFnoServer();
});

afterEach(async () => {
  await server.close();
});

/** A fresh instance per test: tokens are cached per instance. */
function connection(extra: Record<string, string | number | boolean> = {}): ProviderConnection {
  instances++;
  return connectionOf(
    dynamicsFnoPlugin,
    `fno-${instances}`,
    {
      tenantId: server.tenantId,
      environmentUrl: server.url,
      dataAreaId: 'usmf',
      tokenUrl: `${server.url}/${server.tenantId}/oauth2/v2.0/token`,
      ...extra,
    },
    { clientId: 'fno-client', clientSecret: 'fno-secret' }
  );
}

const priced = order('o-1', [
  ['1', 'SKU-A', 2],
  ['2', 'SKU-B', 3],
]);
priced.lines[0]!.unitPrice = 1250;
priced.lines[1]!.unitPrice = 99;
const orderSubject: ActionSubject = { type: 'order', order: priced };

function exportCall(conn: ProviderConnection, subject: ActionSubject = orderSubject): ActionCall {
  return { connection: conn, action: 'exportSalesOrder', subject, idempotencyKey: 'run-1:export', now: NOW };
}

const exportSalesOrder = dynamicsFnoPlugin.actions!.exportSalesOrder!;

describe('exportSalesOrder', () => {
  it('creates the header then its lines, with our order id as the reference', async () => {
    const answer = await exportSalesOrder(exportCall(connection()), http);
    expect(answer).toEqual({
      effects: [{ type: 'externalReference', system: 'dynamics-fno', id: 'SO-000001' }],
      detail: 'F&O sales order SO-000001 created with 2 lines',
    });
    expect(server.headers).toEqual([
      expect.objectContaining({
        dataAreaId: 'usmf',
        SalesOrderNumber: 'SO-000001',
        OrderingCustomerAccountNumber: 'C1',
        CurrencyCode: 'EUR',
        CustomersOrderReference: 'o-1',
        DeliveryAddressZipCode: '10115',
        DeliveryAddressCountryRegionISOCode: 'DE',
      }),
    ]);
    expect(server.lines).toEqual([
      expect.objectContaining({
        SalesOrderNumber: 'SO-000001',
        LineCreationSequenceNumber: 1,
        ItemNumber: 'SKU-A',
        OrderedSalesQuantity: 2,
        SalesPrice: 12.5,
      }),
      expect.objectContaining({ LineCreationSequenceNumber: 2, ItemNumber: 'SKU-B', SalesPrice: 0.99 }),
    ]);
    const lookup = server.received[0]!;
    expect(lookup.method).toBe('GET');
    expect(lookup.query.get('$filter')).toBe("CustomersOrderReference eq 'o-1' and dataAreaId eq 'usmf'");
    expect(lookup.query.get('cross-company')).toBe('true');
    expect(lookup.headers['odata-version']).toBe('4.0');
  });

  it('run twice with the same idempotency key, creates the order once; one token serves both', async () => {
    const conn = connection();
    await exportSalesOrder(exportCall(conn), http);
    const again = await exportSalesOrder(exportCall(conn), http);
    expect(again.detail).toBe('F&O sales order SO-000001 already there');
    expect(again.effects).toEqual([{ type: 'externalReference', system: 'dynamics-fno', id: 'SO-000001' }]);
    expect(server.headers).toHaveLength(1);
    expect(server.lines).toHaveLength(2);
    expect(server.tokensIssued()).toBe(1);
  });

  it('a run that stopped after some lines adds only the missing ones', async () => {
    const conn = connection();
    await exportSalesOrder(exportCall(conn), http);
    server.lines.splice(1, 1);
    const again = await exportSalesOrder(exportCall(conn), http);
    expect(again.detail).toBe('F&O sales order SO-000001 found, 1 missing line added');
    expect(server.lines.map((line) => line.ItemNumber)).toEqual(['SKU-A', 'SKU-B']);
  });

  it('exports a fulfillment order with its orders’ prices and the FO id as the reference', async () => {
    const fo = sentFo('fo-9', [['o-1', '2', 'SKU-B', 1]]);
    await exportSalesOrder(
      exportCall(connection(), { type: 'fulfillmentOrder', fulfillmentOrder: fo, orders: [priced] }),
      http
    );
    expect(server.headers[0]).toMatchObject({ CustomersOrderReference: 'fo-9' });
    expect(server.lines).toEqual([
      expect.objectContaining({ ItemNumber: 'SKU-B', OrderedSalesQuantity: 1, SalesPrice: 0.99 }),
    ]);
  });

  it('asks for a new token once after a 401 and sends Entra the environment’s .default scope', async () => {
    const conn = connection();
    await exportSalesOrder(exportCall(conn), http);
    server.revokeTokens();
    await exportSalesOrder(exportCall(conn), http);
    expect(server.tokensIssued()).toBe(2);
    const unauthorized = server.requests.filter((r) => r.status === 401);
    expect(unauthorized).toHaveLength(1);
  });

  it('answers 401 to a call without a bearer token', async () => {
    const res = await fetch(`${server.url}/data/SalesOrderHeadersV2`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('waits out 429 as Retry-After says and 503s with backoff', async () => {
    const conn = connection();
    server.throttleNext(1, 2);
    await exportSalesOrder(exportCall(conn), http);
    expect(waits).toEqual([2000]);
    server.failNext(2);
    await exportSalesOrder(exportCall(conn), http);
    expect(waits).toHaveLength(3);
    expect(server.headers).toHaveLength(1);
  });

  it('a refusal is F&O’s own error message', async () => {
    const conn = connection();
    server.rejectNext('BadRequest', "Write failed for table row of type 'SalesOrderHeaderV2Entity'.");
    const failure = await exportSalesOrder(exportCall(conn), http).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProviderCallError);
    expect((failure as ProviderCallError).message).toBe(
      "Write failed for table row of type 'SalesOrderHeaderV2Entity'."
    );
    expect((failure as ProviderCallError).permanent).toBe(true);
  });

  it('an order without a customer account and no default fails before any call', async () => {
    const anonymous = { ...priced, customer: { name: 'Ada' } };
    await expect(
      exportSalesOrder(exportCall(connection(), { type: 'order', order: anonymous }), http)
    ).rejects.toThrow('Order o-1 has no customer accountId and the instance has no defaultCustomerAccount.');
    await exportSalesOrder(
      exportCall(connection({ defaultCustomerAccount: 'WEB' }), { type: 'order', order: anonymous }),
      http
    );
    expect(server.headers[0]).toMatchObject({ OrderingCustomerAccountNumber: 'WEB' });
  });
});

describe('the status poll', () => {
  async function pollRun(conn: ProviderConnection, since: PollPosition, now: Date) {
    const messages: PolledMessage[] = [];
    let position = since;
    let pages = 0;
    do {
      const page = await dynamicsFnoPlugin.poller!.nextPage(conn, position, http, now);
      messages.push(...page.messages);
      position = page.position;
      pages++;
    } while (position.cursor !== undefined);
    return { messages, position, pages };
  }

  async function exported(conn: ProviderConnection, count: number): Promise<string[]> {
    const numbers: string[] = [];
    for (let i = 1; i <= count; i++) {
      const fo = sentFo(`fo-${i}`, [['o-1', '1', 'SKU-A', 1]]);
      const answer = await exportSalesOrder(
        exportCall(conn, { type: 'fulfillmentOrder', fulfillmentOrder: fo, orders: [priced] }),
        http
      );
      numbers.push((answer.effects[0] as { id: string }).id);
    }
    return numbers;
  }

  it('pages through delivered, invoiced and cancelled orders of ours within the window', async () => {
    const conn = connection({ modifiedDateField: 'ModifiedDateTime', pageSize: 2 });
    const numbers = await exported(conn, 5);
    const t = (minute: number) => new Date(Date.UTC(2026, 11, 2, 10, minute));
    server.setStatus(numbers[0]!, 'Delivered', t(1));
    server.setStatus(numbers[1]!, 'Invoiced', t(2));
    server.setStatus(numbers[2]!, 'Canceled', t(3));
    server.setStatus(numbers[3]!, 'Delivered', t(20)); // after this run's window

    const first = await pollRun(conn, { since: t(0).toISOString() }, t(10));
    expect(first.pages).toBe(2);
    expect(first.messages.map((m) => m.messageId)).toEqual([
      `usmf:${numbers[0]}@Delivered`,
      `usmf:${numbers[1]}@Invoiced`,
      `usmf:${numbers[2]}@Canceled`,
    ]);
    expect(first.position).toEqual({ since: new Date(t(10).getTime() - 1000).toISOString() });
    const firstQuery = server.received.find((r) => r.method === 'GET' && r.query.get('$orderby') !== null)!;
    expect(firstQuery.headers.prefer).toBe('odata.maxpagesize=2');

    const second = await pollRun(conn, first.position, t(30));
    expect(second.messages.map((m) => m.messageId)).toEqual([`usmf:${numbers[3]}@Delivered`]);
  });

  it('turns a status into the fulfillment order event, Delivered and Invoiced sharing the shipped id', async () => {
    const conn = connection({ modifiedDateField: 'ModifiedDateTime' });
    const [number] = await exported(conn, 1);
    server.setStatus(number!, 'Delivered', new Date('2026-12-02T10:01:00Z'));
    const { messages } = await pollRun(conn, {}, new Date('2026-12-02T11:00:00Z'));
    const transformation = dynamicsFnoPlugin.definition.transformations.salesOrderStatus!;
    const context = { instanceId: conn.instanceId, parameters: conn.parameters, mappings: [], now: NOW };
    const delivered = await runTransformation(transformation, JSON.parse(messages[0]!.text), context);
    expect(delivered.output).toEqual({
      fulfillmentOrderId: 'fo-1',
      event: { id: `fno-usmf-${number}-shipped`, type: 'shipped' },
    });
    const invoiced = await runTransformation(
      transformation,
      { ...JSON.parse(messages[0]!.text), SalesOrderStatus: 'Invoiced' },
      context
    );
    expect(invoiced.output).toEqual(delivered.output);
    const cancelled = await runTransformation(
      transformation,
      { ...JSON.parse(messages[0]!.text), SalesOrderStatus: 'Canceled' },
      context
    );
    expect(cancelled.output).toEqual({
      fulfillmentOrderId: 'fo-1',
      event: { id: `fno-usmf-${number}-cancelled`, type: 'cancelled' },
    });
  });

  it('without a modified-date field, reads every reported order each run (ids drop repeats)', async () => {
    const conn = connection();
    const [number] = await exported(conn, 1);
    server.setStatus(number!, 'Delivered', new Date());
    const run = await pollRun(conn, {}, new Date());
    expect(run.messages).toHaveLength(1);
    expect(run.position).toEqual({});
    const again = await pollRun(conn, run.position, new Date());
    expect(again.messages.map((m) => m.messageId)).toEqual(run.messages.map((m) => m.messageId));
  });
});
