import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import ExcelJS from 'exceljs';
import { importInventoryFileHandler } from '../../functions/inventory-imports';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import type { ImportReport } from '../../shared/ports/inventory-imports';
import { getSourceRepository } from '../../shared/app/fulfillment/wiring';
import { getInventoryDeps } from '../../shared/app/inventory/wiring';
import {
  getCosmosDatabase,
  getGeocoder,
  getStorageClients,
  setClock,
} from '../../shared/app/platform/wiring';
import { getProductRepository } from '../../shared/app/products/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { productFromInput } from '../../shared/domain/products/product';
import { sourceFromInput } from '../../shared/domain/fulfillment/source';

// The file-drop handler in process: real parsers, the inventory core on the embedded Cosmos server,
// reports in Azurite. The trigger's metadata is what the host passes (blob path, name, properties).

const now = new Date('2026-03-02T09:00:00.000Z');
const saved = { ...process.env };

beforeAll(async () => {
  process.env = { ...saved, COSMOS_DATABASE: `it-imports-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
  await (
    await getSourceRepository()
  ).create(
    sourceFromInput(
      'W1',
      {
        name: 'W1',
        type: 'warehouse',
        address: { postalCode: '10001', country: 'US' },
        location: { lat: 40.7, lon: -74 },
        online: true,
      },
      undefined,
      getGeocoder(),
      now
    )
  );
  for (const sku of ['IMP-A', 'IMP-B', 'IMP-X', 'IMP-J']) {
    await (await getProductRepository()).create(productFromInput(sku, { name: sku }, undefined, now));
  }
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

async function drop(name: string, content: Buffer, etag: string) {
  const context = new InvocationContext({
    functionName: 'importInventoryFile',
    triggerMetadata: { name, blobTrigger: `inventory-imports/${name}`, properties: { etag: `"${etag}"` } },
  });
  await importInventoryFileHandler(content, context);
  return JSON.parse((await reportBlob(name).downloadToBuffer()).toString('utf8')) as ImportReport;
}

function reportBlob(name: string) {
  return getStorageClients()
    .blobs.getContainerClient('inventory-imports-results')
    .getBlobClient(`${name}.json`);
}

async function onhand(sku: string): Promise<number | undefined> {
  const { items } = await queryInventory(await getInventoryDeps(), { skus: [sku] });
  return items[0]?.measures.onhand;
}

const csv = [
  'id,sku,sourceId,measure,quantity,mode',
  'r1,IMP-A,W1,onhand,10,',
  ',IMP-A,W1,onhand,-3,delta',
  'r3,,W1,onhand,5,',
  'r4,IMP-A,W1,onhand,abc,',
  '"r5",IMP-B,W1,onhand,7,set',
  'r6,NO-SUCH-SKU,W1,onhand,1,',
  'r7,IMP-A,W1,softReserved,1,',
  'r8,IMP-A,W1,onhand,1,delta,x',
].join('\n');

it('applies the good rows of a CSV, reports each bad one, and applies nothing twice when the same version runs again', async () => {
  const name = `stock-${randomUUID()}.csv`;
  const report = await drop(name, Buffer.from(csv), '0x8DA1');
  expect(report).toMatchObject({
    file: name,
    etag: '0x8DA1',
    format: 'csv',
    rows: 8,
    applied: 3,
    duplicates: 0,
    failed: 5,
  });
  expect(report.errors).toEqual([
    { row: 4, column: 'sku', message: 'is required' },
    { row: 5, column: 'quantity', message: 'must be a number' },
    { row: 7, column: '', message: expect.stringContaining('NO-SUCH-SKU') },
    { row: 8, column: '', message: expect.stringContaining('softReserved') },
    { row: 9, column: '', message: 'has 7 fields; the header names 6' },
  ]);
  expect(await onhand('IMP-A')).toBe(7);
  expect(await onhand('IMP-B')).toBe(7);

  // The same version delivered again: nothing applies again and the report stays the first one.
  expect(await drop(name, Buffer.from(csv), '0x8DA1')).toEqual(report);
  expect(await onhand('IMP-A')).toBe(7);

  // The host retries a version that failed before its report was written: the same ids, so nothing
  // applies again, and the report says so.
  await reportBlob(name).delete();
  const again = await drop(name, Buffer.from(csv), '0x8DA1');
  expect(again).toMatchObject({ applied: 0, duplicates: 3, failed: 5 });
  expect(await onhand('IMP-A')).toBe(7);

  // A new upload of the file is a new version: rows without an id apply again, rows with one do not.
  const next = await drop(name, Buffer.from(csv), '0x8DA2');
  expect(next).toMatchObject({ applied: 1, duplicates: 2 });
  expect(await onhand('IMP-A')).toBe(4);
});

it('reads XLSX and JSON the same way', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('stock');
  sheet.addRow(['SKU', 'SourceId', 'Measure', 'Quantity']);
  sheet.addRow(['IMP-X', 'W1', 'onhand', 12]);
  sheet.addRow(['IMP-X', 'W1', 'onhand', 'lots']);
  sheet.addRow([]);
  sheet.addRow(['IMP-X', 'W1', 'ordered', { formula: '2+3', result: 5 }]);
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  const report = await drop(`stock-${randomUUID()}.xlsx`, xlsx, '0x1');
  expect(report).toMatchObject({ format: 'xlsx', rows: 3, applied: 2, failed: 1 });
  expect(report.errors).toEqual([{ row: 3, column: 'quantity', message: 'must be a number' }]);
  const { items } = await queryInventory(await getInventoryDeps(), { skus: ['IMP-X'] });
  expect(items[0]?.measures).toMatchObject({ onhand: 12, ordered: 5 });

  const json = JSON.stringify([
    { id: 'j1', sku: 'IMP-J', sourceId: 'W1', measure: 'onhand', quantity: 4 },
    { id: 'j2', sku: 'IMP-J', sourceId: 'W1', measure: 'onhand', quantity: 1, colour: 'red' },
    'not a change',
  ]);
  const jsonReport = await drop(`stock-${randomUUID()}.json`, Buffer.from(json), '0x2');
  expect(jsonReport).toMatchObject({ format: 'json', rows: 3, applied: 1, failed: 2 });
  expect(jsonReport.errors).toEqual([
    { row: 2, column: 'colour', message: 'is not a known column' },
    { row: 3, column: '', message: 'is not an object' },
  ]);
  expect(await onhand('IMP-J')).toBe(4);
});

it('refuses a whole file it cannot read or whose header is wrong, applying nothing', async () => {
  const header = await drop(
    `bad-${randomUUID()}.csv`,
    Buffer.from('sku,source,measure,qty\nIMP-A,W1,onhand,1'),
    '0x3'
  );
  expect(header).toMatchObject({ applied: 0, failed: 1 });
  expect(header.errors.map((e) => e.column)).toEqual(['source', 'qty', 'sourceId', 'quantity']);
  const broken = await drop(`bad-${randomUUID()}.xlsx`, Buffer.from('not a zip'), '0x4');
  expect(broken).toMatchObject({
    rows: 0,
    applied: 0,
    errors: [{ row: 0, column: '', message: expect.stringContaining('XLSX') }],
  });
  const kind = await drop(`bad-${randomUUID()}.txt`, Buffer.from('x'), '0x5');
  expect(kind.errors).toEqual([
    { row: 0, column: '', message: expect.stringContaining('.csv, .xlsx or .json') },
  ]);
  const quote = await drop(
    `bad-${randomUUID()}.csv`,
    Buffer.from('sku,sourceId,measure,quantity\n"IMP-A,W1,onhand,1'),
    '0x6'
  );
  expect(quote.errors).toEqual([{ row: 0, column: '', message: expect.stringContaining('Not valid CSV') }]);
  expect(await onhand('IMP-A')).toBe(4);
});
