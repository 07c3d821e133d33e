import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import ExcelJS from 'exceljs';
import { importMasterDataFileHandler } from '../../functions/master-data-imports';
import { getMasterDataImportRecords, getMasterDataStore } from '../../shared/app/master-data/wiring';
import {
  getContainer,
  getCosmosDatabase,
  getStorageClients,
  setClock,
} from '../../shared/app/platform/wiring';
import { getProductRepository } from '../../shared/app/products/wiring';
import { getSourceRepository } from '../../shared/app/fulfillment/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import type { MasterDataImport } from '../../shared/ports/master-data';

// The blob trigger's handler in process: the real parser, the catalog on the embedded Cosmos server,
// reports in Azurite, import records in `jobs`. The metadata is what the host passes.

let clock = new Date('2026-12-02T09:00:00.000Z');
const saved = { ...process.env };

beforeAll(() => {
  process.env = { ...saved, COSMOS_DATABASE: `it-master-data-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => clock });
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

async function drop(name: string, content: Buffer, etag: string): Promise<MasterDataImport> {
  const context = new InvocationContext({
    functionName: 'importMasterDataFile',
    triggerMetadata: { name, blobTrigger: `master-data-imports/${name}`, properties: { etag: `"${etag}"` } },
  });
  await importMasterDataFileHandler(content, context);
  const report = await getStorageClients()
    .blobs.getContainerClient('master-data-imports-results')
    .getBlobClient(`${name}.json`)
    .downloadToBuffer();
  return JSON.parse(report.toString('utf8')) as MasterDataImport;
}

/** id → [_etag, updatedAt] of every product document. */
async function productVersions(): Promise<Map<string, string>> {
  const container = await getContainer('catalog');
  const { resources } = await container.items
    .query<{ id: string; _etag: string; updatedAt: string }>(
      "SELECT c.id, c._etag, c.updatedAt FROM c WHERE c.type = 'product'"
    )
    .fetchAll();
  return new Map(resources.map((r) => [r.id, `${r._etag} ${r.updatedAt}`]));
}

function productCsv(rows: number, bad: Record<number, string>): Buffer {
  const lines = [
    'sku,name,unit,dimensions.length,dimensions.width,dimensions.height,dimensions.unit,weight.value,weight.unit,units.0.unit,units.0.factor',
  ];
  for (let i = 1; i <= rows; i++) {
    // Line i + 1 of the file (the header is line 1).
    lines.push(
      bad[i + 1] ??
        `MD-${i},Product ${i},each,${10 + (i % 7)},8,4,cm,${(0.1 + (i % 5) / 10).toFixed(1)},kg,box,12`
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe('master-data file drops', () => {
  it('imports 10,000 product rows with 3 bad ones, and the same file again changes nothing', async () => {
    const bad = {
      // no name
      1502: 'MD-1501,,each,10,8,4,cm,0.5,kg,box,12',
      // a length that is no number
      5003: 'MD-5002,Product 5002,each,ten,8,4,cm,0.5,kg,box,12',
      // a weight unit we do not know
      9004: 'MD-9003,Product 9003,each,10,8,4,cm,0.5,stone,box,12',
    };
    const file = productCsv(10_000, bad);
    const started = Date.now();
    const first = await drop('products/catalog.csv', file, 'v1');
    const seconds = (Date.now() - started) / 1000;
    expect(first).toMatchObject({
      status: 'completed',
      format: 'csv',
      rows: 10_000,
      processed: 10_000,
      created: 9_997,
      updated: 0,
      unchanged: 0,
      failed: 3,
    });
    expect(first.errors).toEqual([
      { row: 1502, path: '/name', message: expect.any(String) },
      { row: 5003, path: '/dimensions/length', message: 'must be number' },
      { row: 9004, path: '/weight/unit', message: expect.stringContaining('allowed values') },
    ]);
    process.stdout.write(`10,000-row product file imported in ${seconds.toFixed(1)} s\n`);

    const product = await (await getProductRepository()).get('MD-42');
    expect(product?.product).toMatchObject({
      sku: 'MD-42',
      name: 'Product 42',
      unit: 'each',
      dimensions: { length: 10, width: 8, height: 4, unit: 'cm' },
      weight: { value: 0.3, unit: 'kg' },
      units: [{ unit: 'box', factor: 12 }],
    });
    const before = await productVersions();
    expect(before.size).toBe(9_997);

    // The import's record: what GET /api/v1/master-data/imports/{importId} answers.
    const records = await getMasterDataImportRecords();
    expect(await records.get(first.importId)).toMatchObject({
      status: 'completed',
      created: 9_997,
      failed: 3,
    });

    clock = new Date('2026-12-02T10:00:00.000Z');
    const again = await drop('products/catalog.csv', file, 'v2');
    expect(again.importId).not.toBe(first.importId);
    expect(again).toMatchObject({ rows: 10_000, created: 0, updated: 0, unchanged: 9_997, failed: 3 });
    expect(again.errors).toEqual(first.errors);
    expect(await productVersions()).toEqual(before);

    // The trigger delivering the same version again answers the finished import, doing nothing.
    expect(await drop('products/catalog.csv', file, 'v2')).toEqual(again);
    expect((await records.list('products', 10)).map((r) => r.importId)).toEqual([
      again.importId,
      first.importId,
    ]);
  });

  it('updates only the rows that changed', async () => {
    const file = Buffer.from('sku,name\nMD-U1,One\nMD-U2,Two\n');
    await drop('products/small.csv', file, 's1');
    const changed = Buffer.from('sku,name\nMD-U1,One\nMD-U2,Two (new)\nMD-U3,Three\n');
    expect(await drop('products/small.csv', changed, 's2')).toMatchObject({
      created: 1,
      updated: 1,
      unchanged: 1,
    });
  });

  it('imports accounts from XLSX and price lists and units from JSON', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('accounts');
    sheet.addRow([
      'accountId',
      'name',
      'email',
      'priceListId',
      'addresses.0.purpose',
      'addresses.0.postalCode',
      'addresses.0.country',
    ]);
    sheet.addRow([1001, 'Contoso', 'buyer@contoso.example', 'RETAIL', 'billing', '98052', 'US']);
    sheet.addRow(['C-2', 'Fabrikam', 'not an email', '', '', '', '']);
    const accounts = await drop(
      'accounts/accounts.xlsx',
      Buffer.from(await workbook.xlsx.writeBuffer()),
      'a1'
    );
    expect(accounts).toMatchObject({ format: 'xlsx', rows: 2, created: 1, failed: 1 });
    expect(accounts.errors).toEqual([{ row: 3, path: '/email', message: expect.stringContaining('email') }]);

    const store = await getMasterDataStore();
    expect((await store.get('accounts', '1001'))?.value).toMatchObject({
      accountId: '1001',
      name: 'Contoso',
      addresses: [{ purpose: 'billing', postalCode: '98052', country: 'US' }],
    });

    const priceLists = [
      { priceListId: 'RETAIL', currency: 'USD', name: 'Retail', prices: [{ sku: 'MD-1', unitPrice: 1999 }] },
      { priceListId: 'RETAIL', currency: 'USD', prices: [{ sku: 'MD-1', unitPrice: 1799, minQuantity: 10 }] },
      { priceListId: 'EU', currency: 'EUR', prices: [{ sku: 'MD-1', unitPrice: -1 }] },
    ];
    const prices = await drop('price-lists/prices.json', Buffer.from(JSON.stringify(priceLists)), 'p1');
    expect(prices).toMatchObject({ format: 'json', rows: 3, created: 2, failed: 1 });
    expect(prices.errors).toEqual([{ row: 3, path: '/prices/0/unitPrice', message: 'must be >= 0' }]);
    expect((await store.get('price-lists', 'RETAIL'))?.value).toMatchObject({
      currency: 'USD',
      prices: [
        { sku: 'MD-1', unitPrice: 1999 },
        { sku: 'MD-1', unitPrice: 1799, minQuantity: 10 },
      ],
    });

    const units = {
      items: [
        { unitId: 'each', name: 'Each' },
        { unitId: 'box12', name: 'Box of 12', baseUnit: 'each', factor: 12 },
      ],
    };
    expect(await drop('units/units.json', Buffer.from(JSON.stringify(units)), 'u1')).toMatchObject({
      created: 2,
      failed: 0,
    });
  });

  it('imports sources as PUT /api/v1/sources stores them', async () => {
    const sources = [
      {
        sourceId: 'MD-W1',
        name: 'West',
        type: 'warehouse',
        address: { postalCode: '98052', country: 'US' },
        online: true,
      },
      {
        sourceId: 'MD-W2',
        name: 'Nowhere',
        type: 'store',
        address: { postalCode: '00000', country: 'ZZ' },
        online: true,
      },
    ];
    const report = await drop('sources/sources.json', Buffer.from(JSON.stringify(sources)), 'w1');
    expect(report).toMatchObject({ created: 1, failed: 1 });
    expect(report.errors).toEqual([
      { row: 2, path: '/address/postalCode', message: expect.stringContaining('cannot be geocoded') },
    ]);
    const stored = await (await getSourceRepository()).get('MD-W1');
    expect(stored?.source).toMatchObject({
      id: 'MD-W1',
      type: 'warehouse',
      priority: 100,
      location: { geocoded: true },
    });
  });

  it('reports a file outside an entity folder or unreadable as a whole', async () => {
    expect(await drop('customers/x.csv', Buffer.from('a\n1\n'), 'x1')).toMatchObject({
      status: 'failed',
      errors: [{ row: 0, message: expect.stringContaining('products/') }],
    });
    expect(await drop('units/x.txt', Buffer.from('a\n1\n'), 'x2')).toMatchObject({
      status: 'failed',
      errors: [{ row: 0, message: expect.stringContaining('.csv') }],
    });
  });
});
