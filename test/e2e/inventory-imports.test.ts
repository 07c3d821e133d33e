import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { BlobServiceClient } from '@azure/storage-blob';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// The inventory file drop on the local host: a CSV dropped in `inventory-imports` through the blob
// API is picked up by the blob trigger, its good rows change the measures, and a report appears.
const key = 'inventory-imports-key';
const run = Date.now().toString(36);
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
let host: HostProcess;

const blobs = () => BlobServiceClient.fromConnectionString(process.env.AzureWebJobsStorage!);

async function call(method: string, route: string, body?: unknown) {
  const res = await fetch(`${host.url}/api/${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-inventory-imports-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

it('applies the good rows of a dropped CSV and reports the bad ones per row', async () => {
  const source = `IMP-${run}`;
  const [a, b] = [`IMPA-${run}`, `IMPB-${run}`];
  expect(
    (
      await call('PUT', `v1/sources/${source}`, {
        name: 'Import test warehouse',
        type: 'warehouse',
        address: { postalCode: '10001', country: 'US' },
        online: true,
      })
    ).status
  ).toBe(201);
  for (const sku of [a, b]) expect((await call('PUT', `v1/products/${sku}`, { name: sku })).status).toBe(201);

  const csv = [
    'id,sku,sourceId,measure,quantity,mode',
    `${run}-1,${a},${source},onhand,10,`,
    `,${a},${source},onhand,-3,delta`,
    `${run}-3,${a},${source},onhand,not-a-number,`,
    `${run}-4,${b},${source},onhand,7,set`,
    `${run}-5,${b},,onhand,1,`,
    `${run}-6,${b},${source},onhand,-100,`,
  ].join('\r\n');
  const name = `e2e/${run}.csv`;
  const container = blobs().getContainerClient('inventory-imports');
  await container.createIfNotExists();
  await container.getBlockBlobClient(name).upload(csv, Buffer.byteLength(csv));

  const reportBlob = blobs().getContainerClient('inventory-imports-results').getBlobClient(`${name}.json`);
  const report = await waitFor(
    async () =>
      (await reportBlob.exists()) &&
      (JSON.parse((await reportBlob.downloadToBuffer()).toString('utf8')) as Record<string, unknown>),
    { timeoutMs: 30_000, intervalMs: 250, what: 'the import report' }
  );
  expect(report).toMatchObject({ file: name, format: 'csv', rows: 6, applied: 3, duplicates: 0, failed: 3 });
  expect(report.errors).toEqual([
    { row: 4, column: 'quantity', message: 'must be a number' },
    { row: 6, column: 'sourceId', message: 'is required' },
    { row: 7, column: '', message: expect.stringContaining('negative') },
  ]);

  const query = await call('POST', 'v1/inventory/query', { skus: [a, b] });
  expect(query.status).toBe(200);
  expect(
    (query.body.items as { sku: string; measures: { onhand: number } }[]).map((i) => [
      i.sku,
      i.measures.onhand,
    ])
  ).toEqual([
    [a, 7],
    [b, 7],
  ]);
});
