import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { BlobServiceClient } from '@azure/storage-blob';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Master data on the local host: the bulk API, the GET/PUT routes and a file drop with its import record.
const key = 'master-data-key';
let host: HostProcess;
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const run = Date.now().toString(36);
const blobs = () => BlobServiceClient.fromConnectionString(process.env.AzureWebJobsStorage!);

async function call(method: string, route: string, body?: unknown) {
  const response = await fetch(`${host.url}/api/${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-master-data-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

it('upserts products in bulk with per-item errors, and the same items again change nothing', async () => {
  const items = [
    { sku: `${run}-A`, name: 'Mug', unit: 'each', units: [{ unit: 'box', factor: 6 }] },
    { sku: `${run}-B`, name: 'Plate', dimensions: { length: 25, width: 25, height: 2, unit: 'cm' } },
    { sku: `${run}-C`, weight: { value: -1, unit: 'kg' } },
  ];
  const first = await call('POST', 'v1/master-data/products/bulk', { items });
  expect(first).toEqual({
    status: 200,
    body: {
      entity: 'products',
      items: 3,
      created: 2,
      updated: 0,
      unchanged: 0,
      failed: 1,
      errors: [
        { index: 2, path: '/items/2/name', message: 'is required' },
        { index: 2, path: '/items/2/weight/value', message: 'must be > 0' },
      ],
    },
  });
  const product = await call('GET', `v1/products/${run}-A`);
  expect(product.body).toMatchObject({ sku: `${run}-A`, units: [{ unit: 'box', factor: 6 }] });

  const again = await call('POST', 'v1/master-data/products/bulk', { items: items.slice(0, 2) });
  expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 0 });
  expect((await call('GET', `v1/products/${run}-A`)).body.updatedAt).toBe(product.body.updatedAt);

  expect((await call('POST', 'v1/master-data/customers/bulk', { items })).status).toBe(404);
  expect((await call('POST', 'v1/master-data/products/bulk', { items: [] })).status).toBe(400);
});

it('puts and gets an account, and imports a dropped price-list file with its import record', async () => {
  const account = await call('PUT', `v1/accounts/${run}-C1`, { name: 'Contoso', priceListId: `${run}-PL` });
  expect(account).toMatchObject({ status: 201, body: { accountId: `${run}-C1`, name: 'Contoso' } });
  expect((await call('GET', `v1/accounts/${run}-C1`)).body).toMatchObject({ priceListId: `${run}-PL` });
  expect((await call('GET', `v1/accounts/${run}-none`)).status).toBe(404);

  const csv = [
    'priceListId,currency,name,sku,unitPrice,minQuantity',
    `${run}-PL,USD,Retail,${run}-A,1299,`,
    `${run}-PL,USD,Retail,${run}-A,1099,12`,
    `${run}-PL,USD,Retail,${run}-B,12.5,`,
  ].join('\n');
  const name = `price-lists/${run}.csv`;
  const container = blobs().getContainerClient('master-data-imports');
  await container.createIfNotExists();
  await container.getBlockBlobClient(name).upload(csv, Buffer.byteLength(csv));

  const done = await waitFor(
    async () => {
      const list = await call('GET', 'v1/master-data/imports?entity=price-lists');
      const found = (list.body.items as { importId: string; file: string; status: string }[]).find(
        (i) => i.file === name && i.status !== 'running'
      );
      return found && (await call('GET', `v1/master-data/imports/${found.importId}`)).body;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'the import record' }
  );
  expect(done).toMatchObject({ status: 'completed', rows: 3, created: 2, failed: 1 });
  expect(done.errors).toEqual([{ row: 4, path: '/unitPrice', message: 'must be integer' }]);
  expect((await call('GET', `v1/price-lists/${run}-PL`)).body).toMatchObject({
    currency: 'USD',
    prices: [
      { sku: `${run}-A`, unitPrice: 1299 },
      { sku: `${run}-A`, unitPrice: 1099, minQuantity: 12 },
    ],
  });
});
