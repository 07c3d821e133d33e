import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import type { Order } from '../../shared/domain/orders/order';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import { avalaraDefinition } from '../../shared/providers/avalara/definition';
import { avalaraPlugin } from '../../shared/providers/avalara/plugin';
import {
  avalaraErrorMessage,
  calculateTax,
  commitTax,
  escapeCode,
  taxOfTransaction,
  transactionRequest,
  voidTax,
} from '../../shared/providers/avalara/tax-actions';
import type { ActionCall, ProviderConnection } from '../../shared/ports/provider-plugins';
import { startAvalaraServer, type AvalaraServer } from '../support/provider-servers/avalara-server';
import { readProviderPayload } from '../support/provider-servers/request-log';

const now = new Date('2026-03-04T10:00:00Z');

function order(): Order {
  return {
    id: 'o-1',
    type: 'order',
    orderId: 'o-1',
    externalId: 'SHOP-1001',
    channel: 'direct',
    currency: 'USD',
    customer: { email: 'ann@example.com', accountId: 'C-7' },
    shipTo: { line1: '123 Main Street', city: 'Irvine', state: 'CA', postalCode: '92615', country: 'US' },
    lines: [
      { lineId: '1', sku: 'YARN', quantity: 3, unitPrice: 1999, state: 'new' },
      { lineId: '2', sku: 'NEEDLE', quantity: 1, unitPrice: 500, state: 'new' },
    ],
    state: 'new',
    intakeKey: 'k',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

function connection(server?: AvalaraServer, parameters: Record<string, string> = {}): ProviderConnection {
  return {
    instanceId: 'avatax',
    parameters: {
      baseUrl: server?.url ?? 'http://127.0.0.1:9',
      companyCode: server?.companyCode ?? 'OPENIOM',
      ...parameters,
    },
    secrets: { accountId: server?.accountId ?? '1100012345', licenseKey: server?.licenseKey ?? 'KEY' },
  };
}

const call = (conn: ProviderConnection, action: string, subject: Order = order()): ActionCall => ({
  connection: conn,
  action,
  subject: { type: 'order', order: subject },
  idempotencyKey: 'run-key',
  now,
});

describe('Avalara request building and answer mapping', () => {
  it('builds a CreateTransactionModel: extended amounts in dollars, lines numbered by our line ids, ship-from and ship-to', () => {
    const shipFrom = JSON.stringify({
      line1: '1 Dock Rd',
      city: 'Reno',
      region: 'NV',
      postalCode: '89501',
      country: 'US',
    });
    const scope = {
      order: order(),
      code: 'o-1',
      lines: [
        { lineId: '1', quantity: 3 },
        { lineId: '2', quantity: 1 },
      ],
    };
    expect(
      transactionRequest(connection(undefined, { shipFromAddress: shipFrom }), scope, 'SalesOrder', now)
    ).toEqual({
      type: 'SalesOrder',
      code: 'o-1',
      companyCode: 'OPENIOM',
      date: '2026-03-04',
      customerCode: 'C-7',
      currencyCode: 'USD',
      purchaseOrderNo: 'SHOP-1001',
      commit: false,
      addresses: {
        shipFrom: { line1: '1 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' },
        shipTo: {
          line1: '123 Main Street',
          city: 'Irvine',
          region: 'CA',
          postalCode: '92615',
          country: 'US',
        },
      },
      lines: [
        { number: '1', quantity: 3, amount: 59.97, itemCode: 'YARN' },
        { number: '2', quantity: 1, amount: 5, itemCode: 'NEEDLE' },
      ],
    });
    // Without a ship-from address the ship-to address is the one location.
    const single = transactionRequest(connection(), scope, 'SalesInvoice', now);
    expect(single.addresses).toEqual({ singleLocation: expect.objectContaining({ postalCode: '92615' }) });
    expect(single.commit).toBe(true);
  });

  it("reads the SDK's TransactionModel fixture as tax per line and in total, in cents", () => {
    const fixture = JSON.parse(
      readProviderPayload('avalara/createtransaction.response.avatax-js-sdk-fixture.json')
    );
    expect(taxOfTransaction(fixture, 'USD', 'ignored')).toEqual({
      code: '8f8084cb-d8d4-418a-bdbb-131f7254e09b',
      lines: [{ lineId: '1', tax: 775 }],
      totalTax: 775,
    });
    expect(() => taxOfTransaction({ code: 'x' }, 'USD', 'x')).toThrow(ProviderCallError);
  });

  it('takes the one-line message of an AvaTax error body, escapes codes as AvaTax asks, declares every action it runs', () => {
    expect(
      avalaraErrorMessage({
        error: { code: 'InvalidAddress', message: 'Address not geocoded.', details: [] },
      })
    ).toBe('Address not geocoded. (InvalidAddress)');
    expect(avalaraErrorMessage({ message: 'other' })).toBeUndefined();
    expect(escapeCode('a/b+c?d%e#f g')).toBe('a_-ava2f-_b_-ava2b-_c_-ava3f-_d_-ava25-_e_-ava23-_f%20g');
    expect(Object.keys(avalaraPlugin.actions ?? {}).sort()).toEqual(
      avalaraDefinition.actions.map((a) => a.name).sort()
    );
    expect(avalaraDefinition.serviceType).toBe('tax');
  });
});

describe('Avalara actions against the local AvaTax server', () => {
  let server: AvalaraServer;
  const http = new ProviderHttpClient({ sleep: () => Promise.resolve(), maxAttempts: 3 });
  beforeEach(async () => {
    server = await startAvalaraServer();
  });
  afterEach(() => server.close());

  it('calculateTax posts one SalesOrder with Basic auth and answers the tax per line', async () => {
    const answer = await calculateTax(call(connection(server), 'calculateTax'), http);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v2/transactions/create', status: 201 });
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${server.accountId}:${server.licenseKey}`).toString('base64')}`
    );
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'SalesOrder',
      code: 'o-1',
      companyCode: 'OPENIOM',
    });
    // 8.25 % of 59.97 is 4.947525 → 4.95; of 5.00 is 0.4125 → 0.41.
    expect(answer.effects).toEqual([
      {
        type: 'orderLineTax',
        documentCode: 'o-1',
        lines: [
          { lineId: '1', tax: 495 },
          { lineId: '2', tax: 41 },
        ],
        totalTax: 536,
      },
    ]);
    expect(server.transactions.size).toBe(0); // an estimate is not recorded
  });

  it('commitTax records and commits the invoice by code, again without conflict; voidTax voids it; a refusal is in AvaTax words', async () => {
    await commitTax(call(connection(server), 'commitTax'), http);
    await commitTax(call(connection(server), 'commitTax'), http);
    expect(server.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/api/v2/transactions/createoradjust 201',
      '/api/v2/transactions/createoradjust 201',
    ]);
    expect(JSON.parse(server.requests[0]!.body).createTransactionModel).toMatchObject({
      type: 'SalesInvoice',
      commit: true,
      code: 'o-1',
    });
    expect(server.transactions.get('o-1')?.status).toBe('Committed');

    const voided = await voidTax(call(connection(server), 'voidTax'), http);
    expect(server.requests[2]).toMatchObject({
      path: '/api/v2/companies/OPENIOM/transactions/o-1/void',
      status: 200,
    });
    expect(JSON.parse(server.requests[2]!.body)).toEqual({ code: 'DocVoided' });
    expect(voided.detail).toBe('voided o-1');
    expect(server.transactions.get('o-1')?.status).toBe('Cancelled');

    // A document AvaTax never recorded (404) is nothing to void.
    const never = await voidTax(call(connection(server), 'voidTax', { ...order(), orderId: 'o-2' }), http);
    expect(never.detail).toBe('no committed document to void');
    expect(server.requests[3]).toMatchObject({
      path: '/api/v2/companies/OPENIOM/transactions/o-2/void',
      status: 404,
    });

    server.faults.refuse('The address is not deliverable.');
    await expect(calculateTax(call(connection(server), 'calculateTax'), http)).rejects.toMatchObject({
      name: 'ProviderCallError',
      status: 400,
      message: 'The address is not deliverable. (InvalidAddress)',
    });
    await expect(
      calculateTax(
        call(
          { ...connection(server), secrets: { accountId: server.accountId, licenseKey: 'wrong' } },
          'calculateTax'
        ),
        http
      )
    ).rejects.toMatchObject({ status: 401, message: 'Authentication failed. (AuthenticationException)' });
  });
});
