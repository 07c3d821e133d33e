import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { apiClient } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import {
  startGenericHttpServer,
  type GenericHttpServer,
} from '../support/provider-servers/generic-http-server';
import { waitFor } from '../support/wait-for';

// Invoices per shipment on the local host: an order taxed by an ERP (generic HTTP), shipped in two
// parts, gets one invoice per shipment with its share of the tax, and the fulfillment order journey
// hands each invoice to the ERP once, although the ERP answers 503 twice first and a refused
// invoice is sent again only by reprocess.
const key = 'invoicing-e2e-key';
const erpKey = 'erp-api-key-e2e';
const thirtyDays = 30 * 24 * 3600;
let host: HostProcess;
let erp: GenericHttpServer;
const { call, ok } = apiClient(() => host.url, key);
let invoiceNumbers = 0;

const erpActions = {
  calculateTax: {
    method: 'POST',
    path: '/tax',
    request: "{ 'lines': [subject.order.lines.{ 'lineId': lineId, 'quantity': quantity }] }",
    response:
      "[{ 'type': 'orderLineTax', 'documentCode': body.code, 'lines': [body.lines.{ 'lineId': lineId, 'tax': tax }], 'totalTax': body.totalTax }]",
  },
  sendInvoice: {
    method: 'POST',
    path: '/invoices',
    idempotencyHeader: 'Idempotency-Key',
    request:
      "{ 'reference': subject.invoice.id, 'order': subject.order.externalId, 'total': subject.invoice.total, 'tax': subject.invoice.taxTotal, 'lines': [subject.invoice.lines.{ 'sku': sku, 'qty': quantity, 'amount': amount, 'tax': tax }] }",
    response: "[{ 'type': 'externalReference', 'system': 'erp', 'id': body.invoiceNumber }]",
  },
};

const orderJourney = {
  type: 'order',
  name: 'Taxed by the ERP',
  steps: [
    {
      name: 'Validate order header',
      action: 'validateOrderHeader',
      inputEvents: ['New Order'],
      successEvent: 'Validation of Order Header has Succeeded',
    },
    {
      name: 'Validate order lines',
      action: 'validateOrderLines',
      inputEvents: ['Validation of Order Header has Succeeded'],
      successEvent: 'Validation of Order Lines has Succeeded',
    },
    {
      name: 'Calculate tax',
      action: 'custom',
      inputEvents: ['Validation of Order Lines has Succeeded'],
      providerAction: { instanceId: 'erp', action: 'calculateTax' },
      successEvent: 'Tax Calculated',
    },
    {
      name: 'Optimize fulfillment',
      action: 'sendToFulfillmentOptimization',
      inputEvents: ['Tax Calculated'],
      successEvent: 'Fulfillment optimization request succeeded',
    },
    {
      name: 'Soft reserve inventory',
      action: 'softReserveInventory',
      inputEvents: ['Fulfillment optimization request succeeded'],
      wait: { event: 'Order Header Ready to be Fulfilled', timeoutSeconds: thirtyDays },
    },
    {
      name: 'Create fulfillment orders',
      action: 'sendFulfillmentProcessRequest',
      inputEvents: ['Order Header Ready to be Fulfilled'],
      successEvent: 'Send fulfillment process request has Succeeded',
    },
    {
      name: 'Send to fulfillment',
      action: 'sendToFulfillment',
      inputEvents: ['Send fulfillment process request has Succeeded'],
      successEvent: 'Send Order to Fulfillment Provider has Succeeded',
    },
    { kind: 'exit', name: 'Complete', inputEvents: ['Send Order to Fulfillment Provider has Succeeded'] },
  ],
};

const fulfillmentOrderJourney = {
  type: 'fulfillmentOrder',
  name: 'Invoiced by the ERP',
  steps: [
    {
      name: 'Wait for shipment',
      action: 'custom',
      inputEvents: ['Creation of Fulfillment Order Succeeded'],
      wait: { event: 'Fulfillment Order Shipped', timeoutSeconds: thirtyDays },
    },
    {
      name: 'Invoice shipments',
      action: 'sendToInvoice',
      inputEvents: ['Fulfillment Order Shipped'],
      providerAction: { instanceId: 'erp', action: 'sendInvoice' },
      successEvent: 'Fulfillment Order Invoiced',
    },
    { kind: 'exit', name: 'Complete', inputEvents: ['Fulfillment Order Invoiced'] },
  ],
};

interface InvoiceView {
  id: string;
  shipmentId?: string;
  lines: { lineId: string; quantity: number; amount: number; tax: number }[];
  subtotal: number;
  taxTotal: number;
  total: number;
  deliveries?: { instanceId: string; action: string; externalId?: string }[];
}

beforeAll(async () => {
  erp = await startGenericHttpServer({
    auth: { scheme: 'apiKeyHeader', header: 'x-api-key', apiKey: erpKey },
    routes: {
      'POST /tax': ({ body }) => {
        const lines = (body as { lines: { lineId: string }[] }).lines;
        // 1.00 of tax per order line, whatever its quantity: shares of 3 units are 33, 34 and 33.
        return {
          status: 200,
          body: {
            code: 'TAX-1',
            lines: lines.map((line) => ({ lineId: line.lineId, tax: 100 })),
            totalTax: 100 * lines.length,
          },
        };
      },
      'POST /invoices': () => ({ status: 201, body: { invoiceNumber: `INV-${++invoiceNumbers}` } }),
    },
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-invoicing-'));
  host = await startHostProcess({ ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key }, 90_000);
  await ok('PUT', '/api/v1/products/INV-SKU', { name: 'Invoiced thing' });
  await ok('PUT', '/api/v1/sources/WH-INV', {
    name: 'Invoicing warehouse',
    type: 'warehouse',
    address: { postalCode: '98101', city: 'Seattle', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'INV-SKU', sourceId: 'WH-INV', measure: 'onhand', quantity: 100 },
  ]);
  await ok('PUT', '/api/v1/provider-instances/erp', {
    provider: 'generic-http',
    active: true,
    parameters: {
      baseUrl: erp.url,
      authScheme: 'apiKeyHeader',
      apiKeyHeader: 'x-api-key',
      actions: JSON.stringify(erpActions),
    },
    secrets: { apiKey: erpKey },
  });
  for (const [id, journey] of [
    ['default-order', orderJourney],
    ['default-fulfillment-order', fulfillmentOrderJourney],
  ] as const) {
    await ok('PUT', `/api/v1/journeys/${id}`, journey);
    await ok('POST', `/api/v1/journeys/${id}/publish`);
  }
}, 200_000);

afterAll(async () => {
  await host?.stop();
  await erp?.close();
});

async function orderAtFulfillment(externalId: string, quantity: number) {
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId,
    currency: 'USD',
    customer: { email: `${externalId}@example.com` },
    shipTo: { postalCode: '98109', city: 'Seattle', country: 'US' },
    lines: [{ lineId: 'L1', sku: 'INV-SKU', quantity, unitPrice: 1000 }],
  });
  const orderId = accepted.orderId as string;
  const foId = await waitFor(
    async () => {
      const order = (await call('GET', `/api/v1/orders/${orderId}`)).body as {
        fulfillmentOrders?: { id: string; state: string }[];
        lines?: { tax?: number }[];
      };
      const fo = order.fulfillmentOrders?.[0];
      return order.lines?.[0]?.tax === 100 && fo !== undefined && fo.state !== 'new' ? fo.id : undefined;
    },
    { what: `order ${externalId} taxed and its fulfillment order sent`, timeoutMs: 60_000 }
  ).catch(async (err: Error) => {
    const order = await call('GET', `/api/v1/orders/${orderId}`);
    const timeline = await call('GET', `/api/v1/orders/${orderId}/timeline`);
    throw new Error(
      `${err.message}\norder: ${JSON.stringify(order.body)}\ntimeline: ${JSON.stringify(timeline.body)}\nhost log:\n${host.stderr().slice(-3000)}`,
      { cause: err }
    );
  });
  return { orderId, foId };
}

async function ship(foId: string, externalId: string, shipments: number[]) {
  for (const [i, shipped] of shipments.entries()) {
    await ok('POST', `/api/v1/fulfillment-orders/${foId}/events`, {
      id: `${externalId}-ship-${i}`,
      type: 'shipped',
      lines: [{ lineId: 'L1', quantity: shipped }],
      tracking: { carrier: 'UPS', number: `1Z${externalId}${i}` },
    });
  }
}

const invoicesOf = async (orderId: string) =>
  ((await call('GET', `/api/v1/orders/${orderId}/invoices`)).body as { items: InvoiceView[] }).items;

const invoicePosts = (reference: string) =>
  erp.requests.filter(
    (r) => r.path === '/invoices' && r.status === 201 && r.body.includes(`"reference":"${reference}"`)
  );

it('invoices each shipment with its share of the tax and hands each to the ERP once', async () => {
  const externalId = `inv-${Date.now()}`;
  const { orderId, foId } = await orderAtFulfillment(externalId, 3);
  erp.failNext(2);
  await ship(foId, externalId, [1, 2]);

  const invoices = await waitFor(
    async () => {
      const items = await invoicesOf(orderId);
      return items.length === 2 && items.every((i) => i.deliveries?.length === 1) ? items : undefined;
    },
    { what: 'two delivered invoices', timeoutMs: 60_000 }
  );
  expect(invoices.map((i) => i.shipmentId)).toEqual([`${foId}:shipment:1`, `${foId}:shipment:2`]);
  expect(invoices.map((i) => [i.lines[0]!.quantity, i.subtotal, i.taxTotal, i.total])).toEqual([
    [1, 1000, 33, 1033],
    [2, 2000, 67, 2067],
  ]);
  expect(invoices.flatMap((i) => i.deliveries!.map((d) => [d.instanceId, d.action]))).toEqual([
    ['erp', 'sendInvoice'],
    ['erp', 'sendInvoice'],
  ]);
  const numbers = invoices.map((i) => i.deliveries![0]!.externalId);
  expect(new Set(numbers).size).toBe(2);
  for (const invoice of invoices) {
    const posts = invoicePosts(invoice.id);
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.body)).toMatchObject({ total: invoice.total, tax: invoice.taxTotal });
  }
  const timeline = (await call('GET', `/api/v1/orders/${orderId}/timeline`)).body as { items: unknown[] };
  expect(JSON.stringify(timeline)).toContain('erp.sendInvoice');
}, 150_000);

it('an invoice the ERP refuses fails the step with its message, and reprocess sends it once', async () => {
  const externalId = `inv-refused-${Date.now()}`;
  const { orderId, foId } = await orderAtFulfillment(externalId, 2);
  erp.rejectNext({ message: 'Customer account is on hold' });
  await ship(foId, externalId, [2]);
  const failure = await waitFor(
    async () => {
      const errors = (await call('GET', '/api/v1/errors?list=provider-action')).body as {
        items: { orderId?: string; message: string }[];
      };
      return errors.items.find((e) => e.orderId === orderId);
    },
    { what: 'the refused invoice on the provider-action list', timeoutMs: 60_000 }
  );
  expect(failure.message).toContain('Customer account is on hold');
  const [invoice] = await invoicesOf(orderId);
  expect(invoice?.deliveries).toBeUndefined();

  const reprocessed = await ok('POST', `/api/v1/orders/${orderId}/reprocess`);
  expect(reprocessed.fulfillmentOrderIds).toEqual([foId]);
  const delivered = await waitFor(
    async () => {
      const [stored] = await invoicesOf(orderId);
      return stored?.deliveries?.length === 1 ? stored : undefined;
    },
    { what: `the invoice of FO ${foId} delivered after reprocess`, timeoutMs: 60_000 }
  );
  expect(invoicePosts(delivered.id)).toHaveLength(1);
}, 150_000);
