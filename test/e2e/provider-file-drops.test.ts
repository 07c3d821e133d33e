import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { BlobServiceClient } from '@azure/storage-blob';
import ExcelJS from 'exceljs';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { readProviderPayload } from '../support/provider-servers/request-log';
import { waitFor } from '../support/wait-for';

// Order files dropped in `order-imports/{instanceId}/...` on the local host: each order in the file
// goes the way of a provider message of that instance, and a report lands in
// `order-imports-results/{name}.json` naming every row that did not become an order, and why.
const key = 'provider-file-drops-key';
const run = Date.now().toString(36);
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
let host: HostProcess;

const blobs = () => BlobServiceClient.fromConnectionString(process.env.AzureWebJobsStorage!);

interface Report {
  file: string;
  etag: string;
  instanceId: string;
  format?: string;
  orders: number;
  created: number;
  duplicates: number;
  failed: number;
  errors: { rows: number[]; message: string; step?: string; detail?: string }[];
}

interface OrderView {
  orderId: string;
  externalId: string;
  channel: string;
  currency: string;
  customer: Record<string, unknown>;
  shipTo: Record<string, unknown>;
  lines: { lineId: string; sku: string; quantity: number; unitPrice?: number }[];
}

async function call(method: string, route: string, body?: unknown) {
  const res = await fetch(`${host.url}/api/${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function put(route: string, body: unknown) {
  const res = await call('PUT', route, body);
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${route}: ${JSON.stringify(res)}`);
}

/** Uploads the file (a new blob version each time) and waits for the report of that version. */
async function drop(name: string, content: Buffer | string): Promise<Report> {
  const container = blobs().getContainerClient('order-imports');
  await container.createIfNotExists();
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const { etag } = await container.getBlockBlobClient(name).upload(bytes, bytes.length);
  const reportBlob = blobs().getContainerClient('order-imports-results').getBlobClient(`${name}.json`);
  return waitFor(
    async () => {
      if (!(await reportBlob.exists())) return undefined;
      const report = JSON.parse((await reportBlob.downloadToBuffer()).toString('utf8')) as Report;
      return report.etag === etag?.replace(/"/g, '') || report.etag === etag ? report : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250, what: `the report of ${name}` }
  ).catch((err: unknown) => {
    console.log(host.stderr().slice(-4000));
    throw err;
  });
}

/** The orders of one channel with this external id, read in full. */
async function ordersOf(channel: string, externalId: string): Promise<OrderView[]> {
  const list = await call('GET', `v1/orders?externalId=${encodeURIComponent(externalId)}`);
  const items = (list.body.items as { orderId: string; channel: string }[]).filter(
    (o) => o.channel === channel
  );
  return Promise.all(
    items.map(async ({ orderId }) => (await call('GET', `v1/orders/${orderId}`)).body as unknown as OrderView)
  );
}

async function orderOf(channel: string, externalId: string): Promise<OrderView> {
  const orders = await ordersOf(channel, externalId);
  expect(orders).toHaveLength(1);
  return orders[0]!;
}

/** Every provider-inbound error-list entry of an instance. */
async function errorEntriesOf(instanceId: string): Promise<{ id: string; step?: string; message: string }[]> {
  const entries: { id: string; source: string; step?: string; message: string }[] = [];
  let token: string | undefined;
  do {
    const page = await call(
      'GET',
      `v1/errors?list=provider-inbound&top=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`
    );
    entries.push(...(page.body.items as typeof entries));
    token = page.body.continuationToken as string | undefined;
  } while (token);
  return entries.filter((e) => e.source === instanceId);
}

const [skuA, skuB] = [`FDA-${run}`, `FDB-${run}`];

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-provider-file-drops-')),
    // The blob trigger looks for new blobs this often.
    OPENIOM_BLOB_POLL_MS: '250',
  });
  for (const sku of [skuA, skuB]) await put(`v1/products/${sku}`, { name: sku });
});

afterAll(async () => {
  await host?.stop();
});

describe('a CSV or XLSX of orders', () => {
  const instanceId = `drops-${run}`;
  const external = `SHOP-MUG-${run}`;

  beforeAll(async () => {
    await put(`v1/mapping-groups/${instanceId}`, {
      mappings: [{ type: 'sku', external, internal: skuB }],
    });
    await put(`v1/provider-instances/${instanceId}`, {
      provider: 'shopify',
      active: true,
      parameters: { shopUrl: 'https://drops.myshopify.invalid' },
      mappingGroupId: instanceId,
    });
  });

  const id = (n: string) => `${run}-${n}`;
  const header =
    'orderNumber,lineId,sku,quantity,unitPrice,currency,email,customerName,shipToLine1,shipToCity,shipToState,shipToPostalCode,shipToCountry';
  const csv = [
    header,
    `${id('R1')},1,${skuA},2,12.50,USD,ada@example.com,Ada Lovelace,1 Pike St,Seattle,WA,98101,US`, // 2
    `${id('R1')},2,${external},1,3.99,,,,,,,,`, // 3: second line of R1, a mapped sku
    `${id('R2')},1,${skuB},3,5,USD,bob@example.com,Bob,"10 5th Ave, Apt 2",New York,NY,10001,US`, // 4
    `${id('R3')},1,${skuA},two,1.00,USD,cy@example.com,Cy,1 Elm St,Chicago,IL,60601,US`, // 5: bad quantity
    `${id('R3')},2,${skuB},1,1.00,,,,,,,,`, // 6: good row of a refused order
    `${id('R4')},1,,1,1.00,USD,di@example.com,Di,1 Oak St,Dallas,TX,75201,US`, // 7: no sku
    `${id('R5')},1,NOPE-${run},1,1.00,USD,ed@example.com,Ed,1 Ash St,Boston,MA,02108,US`, // 8: unknown sku
    `${id('R5')},2,${skuA},1,1.00,,,,,,,,`, // 9
  ].join('\r\n');
  const name = `${instanceId}/batch-${run}.csv`;

  it('creates the good orders and reports each bad one with its rows and reason', async () => {
    const report = await drop(name, csv);
    expect(report).toMatchObject({
      file: name,
      instanceId,
      format: 'csv',
      orders: 5,
      created: 2,
      duplicates: 0,
      failed: 3,
    });
    expect(report.errors).toEqual([
      { rows: [5], message: 'quantity "two" is not a positive number' },
      { rows: [6], message: `order ${id('R3')} not imported: row 5 is not valid` },
      { rows: [7], message: 'has no sku' },
      {
        rows: [8, 9],
        step: 'mapping',
        message: expect.stringContaining(`NOPE-${run}`) as unknown,
        detail: expect.stringContaining('mapping group') as unknown,
      },
    ]);

    const r1 = await orderOf(instanceId, id('R1'));
    expect(r1).toMatchObject({
      externalId: id('R1'),
      channel: instanceId,
      currency: 'USD',
      customer: { email: 'ada@example.com', name: 'Ada Lovelace' },
      shipTo: { line1: '1 Pike St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
    });
    expect(
      r1.lines.map(({ lineId, sku, quantity, unitPrice }) => ({ lineId, sku, quantity, unitPrice }))
    ).toEqual([
      { lineId: '1', sku: skuA, quantity: 2, unitPrice: 1250 },
      { lineId: '2', sku: skuB, quantity: 1, unitPrice: 399 },
    ]);
    const r2 = await orderOf(instanceId, id('R2'));
    expect(r2).toMatchObject({
      customer: { email: 'bob@example.com', name: 'Bob' },
      shipTo: { line1: '10 5th Ave, Apt 2', city: 'New York', postalCode: '10001', country: 'US' },
    });
    expect(r2.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }))).toEqual([
      { sku: skuB, quantity: 3, unitPrice: 500 },
    ]);
    for (const refused of ['R3', 'R4', 'R5']) expect(await ordersOf(instanceId, id(refused))).toEqual([]);

    // Only the order the pipeline refused is on the error list (the reader's refusals are in the report).
    const entries = await errorEntriesOf(instanceId);
    expect(entries).toEqual([
      expect.objectContaining({
        step: 'mapping',
        message: expect.stringContaining(`NOPE-${run}`) as unknown,
      }),
    ]);
  });

  it('creates nothing new when the same file is dropped again', async () => {
    const before = await errorEntriesOf(instanceId);
    const report = await drop(name, csv);
    expect(report).toMatchObject({ orders: 5, created: 0, duplicates: 2, failed: 3 });
    expect(report.errors.map((e) => e.rows)).toEqual([[5], [6], [7], [8, 9]]);
    for (const good of ['R1', 'R2']) expect(await ordersOf(instanceId, id(good))).toHaveLength(1);
    expect((await errorEntriesOf(instanceId)).map((e) => e.id)).toEqual(before.map((e) => e.id));
  });

  it('reads an XLSX workbook the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Orders');
    sheet.addRow([
      'Order Number',
      'SKU',
      'Quantity',
      'Unit Price',
      'Currency',
      'Ship To Postal Code',
      'Ship To Country',
    ]);
    sheet.addRow([id('X1'), skuA, 1, 19.99, 'USD', '60601', 'US']);
    sheet.addRow([id('X1'), external, 4, '0.5', '', '', '']);
    sheet.addRow([id('X2'), skuB, 2, 7, 'EUR', '10115', 'DE']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await drop(`${instanceId}/sheets/${run}.xlsx`, content);
    expect(report).toMatchObject({
      format: 'xlsx',
      orders: 2,
      created: 2,
      duplicates: 0,
      failed: 0,
      errors: [],
    });
    const x1 = await orderOf(instanceId, id('X1'));
    expect(x1).toMatchObject({ currency: 'USD', shipTo: { postalCode: '60601', country: 'US' } });
    expect(x1.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }))).toEqual([
      { sku: skuA, quantity: 1, unitPrice: 1999 },
      { sku: skuB, quantity: 4, unitPrice: 50 },
    ]);
    const x2 = await orderOf(instanceId, id('X2'));
    expect(x2).toMatchObject({ currency: 'EUR', shipTo: { postalCode: '10115', country: 'DE' } });
    expect(x2.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }))).toEqual([
      { sku: skuB, quantity: 2, unitPrice: 700 },
    ]);
  });
});

it('turns an X12 850 dropped for an Orderful instance into the purchase order', async () => {
  const instanceId = `edi-${run}`;
  // The sample's PO1s name the vendor's catalog number (VC) and a SKU (SK); the SK is taken.
  await put(`v1/mapping-groups/${instanceId}`, {
    mappings: [
      { type: 'sku', external: 'ACM/8900-400', internal: skuA },
      { type: 'sku', external: 'ACM/1100-001', internal: skuB },
    ],
  });
  await put(`v1/provider-instances/${instanceId}`, {
    provider: 'orderful',
    active: true,
    secrets: { apiKey: 'not-used-by-file-drops' },
    mappingGroupId: instanceId,
  });
  const report = await drop(
    `${instanceId}/inbound/850-${run}.edi`,
    readProviderPayload('x12/850-5010.stedi-bootstrap.edi')
  );
  expect(report).toMatchObject({
    format: 'x12',
    orders: 1,
    created: 1,
    duplicates: 0,
    failed: 0,
    errors: [],
  });
  const po = await orderOf(instanceId, '365465413');
  expect(po).toMatchObject({
    externalId: '365465413',
    channel: instanceId,
    currency: 'USD',
    customer: { name: 'Wile E Coyote' },
    shipTo: { line1: '111 Canyon Court', city: 'Phoenix', state: 'AZ', postalCode: '85001', country: 'US' },
  });
  // PO104 (X12 element 212, unit price) is a decimal in major units with an explicit point when it
  // has cents: "400" is $400.00 = 40000 minor units. The sample's AMT*TT*3700 = 8 × 400 + 4 × 125
  // confirms it. PO102 "0008" is 8.
  expect(
    po.lines.map(({ lineId, sku, quantity, unitPrice }) => ({ lineId, sku, quantity, unitPrice }))
  ).toEqual([
    { lineId: 'item-1', sku: skuA, quantity: 8, unitPrice: 40000 },
    { lineId: 'item-2', sku: skuB, quantity: 4, unitPrice: 12500 },
  ]);
});

it('reports a file dropped under a folder that is no provider instance', async () => {
  const name = `nosuch-${run}/orders.csv`;
  const report = await drop(name, `orderNumber,sku,quantity\n${run}-N1,${skuA},1\n`);
  expect(report).toMatchObject({ file: name, instanceId: `nosuch-${run}`, orders: 0, created: 0, failed: 0 });
  expect(report.errors).toEqual([
    { rows: [], message: expect.stringContaining(`"nosuch-${run}" is not a provider instance`) as unknown },
  ]);
  expect(await ordersOf(`nosuch-${run}`, `${run}-N1`)).toEqual([]);
});

it('imports nothing for an inactive instance, and says so', async () => {
  const instanceId = `off-${run}`;
  await put(`v1/provider-instances/${instanceId}`, {
    provider: 'shopify',
    active: false,
    parameters: { shopUrl: 'https://off.myshopify.invalid' },
  });
  const report = await drop(`${instanceId}/orders.csv`, `orderNumber,sku,quantity\n${run}-OFF1,${skuA},1\n`);
  expect(report).toMatchObject({ orders: 0, created: 0, failed: 0 });
  expect(report.errors).toEqual([{ rows: [], message: `Provider instance ${instanceId} is not active.` }]);
  expect(await ordersOf(instanceId, `${run}-OFF1`)).toEqual([]);
});
