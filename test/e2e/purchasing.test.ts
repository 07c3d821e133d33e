import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { BlobServiceClient } from '@azure/storage-blob';
import { apiClient, type Json } from '../support/api-client';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Purchase and transfer orders over HTTP on the local host: a backordered line released by a
// purchase order's receipt, ATP before and after the order, and the purchase order file drop.
const key = 'purchasing-key';
const run = Date.now().toString(36);
let host: HostProcess;
const api = apiClient(() => `${host.url}/api/`, key);
const blobs = () => BlobServiceClient.fromConnectionString(process.env.AzureWebJobsStorage!);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  host = await startHostProcess({
    ...sharedServicesEnv(),
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-purchasing-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

/** An order from direct intake whose header and line were validated, as the journey would leave them. */
async function validatedOrder(sku: string, quantity: number): Promise<string> {
  const created = await api.ok('POST', 'v1/orders', {
    externalId: `${run}-${Math.random()}`,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '10001', country: 'US' },
    lines: [{ sku, quantity }],
  });
  const orderId = created.orderId as string;
  await waitFor(async () => (await api.call('GET', `v1/orders/${orderId}`)).status === 200, {
    what: 'the order',
    timeoutMs: 60_000,
  });
  await api.ok('POST', 'v1/events', {
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  await api.ok('POST', 'v1/events', {
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '1',
    orderId,
  });
  return orderId;
}

async function atpTable(sku: string, sourceId: string) {
  const answer = await api.ok('POST', 'v1/inventory/atp', { skus: [sku], sourceIds: [sourceId] });
  const [item] = answer.items as { days: Json[] }[];
  return item!.days.map((d) => [d.date, d.onHand, d.supply, d.demand, d.projected, d.atp]);
}

it('releases a backordered line when a purchase order receipt arrives, with ATP before and after the order', async () => {
  const [source, other, sku] = [`PUR-W-${run}`, `PUR-V-${run}`, `PUR-${run}`];
  for (const id of [source, other]) {
    await api.ok('PUT', `v1/sources/${id}`, {
      name: id,
      type: 'warehouse',
      address: { postalCode: '10001', country: 'US' },
      online: true,
    });
  }
  await api.ok('PUT', `v1/products/${sku}`, { name: sku });
  await api.ok('POST', 'v1/inventory/onhand/bulk', [
    { id: `${run}-stock`, sku, sourceId: source, measure: 'onhand', quantity: 1 },
  ]);
  const orderId = await validatedOrder(sku, 3);
  const checked = await api.ok('POST', 'v1/inventory/holds/check', { orderId });
  expect(checked.lines).toEqual([
    { lineId: '1', sku, quantity: 3, outcome: 'backorder-hold', estimatedAvailableDate: null },
  ]);
  //                      date    onHand supply demand projected atp
  expect(await atpTable(sku, source)).toEqual([
    [day(0), 1, 0, 0, 1, 1],
    [day(1), 1, 0, 0, 1, 1],
    [day(2), 1, 0, 0, 1, 1],
    [day(3), 1, 0, 0, 1, 1],
    [day(4), 1, 0, 0, 1, 1],
    [day(5), 1, 0, 0, 1, 1],
    [day(6), 1, 0, 0, 1, 1],
  ]);

  const poId = `PO-${run}`;
  const po = {
    supplier: 'Acme',
    sourceId: source,
    expectedDate: day(2),
    lines: [{ lineId: '1', sku, quantity: 5 }],
  };
  const created = await api.call('PUT', `v1/purchase-orders/${poId}`, po);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    kind: 'purchaseOrder',
    id: poId,
    state: 'open',
    lines: [{ lineId: '1', sku, quantity: 5, received: 0, open: 5, state: 'open' }],
  });
  expect((await api.call('PUT', `v1/purchase-orders/${poId}`, po)).status).toBe(200);
  expect(await atpTable(sku, source)).toEqual([
    [day(0), 1, 0, 0, 1, 1],
    [day(1), 1, 0, 0, 1, 1],
    [day(2), 1, 5, 0, 6, 6],
    [day(3), 6, 0, 0, 6, 6],
    [day(4), 6, 0, 0, 6, 6],
    [day(5), 6, 0, 0, 6, 6],
    [day(6), 6, 0, 0, 6, 6],
  ]);
  const schedules = await api.ok('GET', `v1/inventory/schedules?sku=${sku}`);
  expect(schedules.items).toEqual([
    expect.objectContaining({
      id: `po:${poId}:1`,
      kind: 'supply',
      quantity: 5,
      reference: poId,
      link: { kind: 'purchaseOrder', id: poId, lineId: '1' },
    }),
  ]);

  const tooMuch = await api.call('POST', `v1/purchase-orders/${poId}/receipts`, {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 6 }],
  });
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.body.errors).toEqual([
    { path: '/lines/0/quantity', message: 'is more than the open quantity 5' },
  ]);

  const receipt = await api.call('POST', `v1/purchase-orders/${poId}/receipts`, {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 3 }],
  });
  expect(receipt.status).toBe(201);
  expect(receipt.body).toMatchObject({
    duplicate: false,
    order: { state: 'partially received', lines: [{ received: 3, open: 2, state: 'partially received' }] },
    inventory: [{ sku, sourceId: source, direction: 'in', quantity: 3, status: 'applied' }],
    released: [{ orderId, lineId: '1', sku, quantity: 3, sourceId: source }],
  });
  expect(((await api.ok('GET', `v1/orders/${orderId}`)).lines as Json[])[0]).toMatchObject({
    state: 'fulfillment in process',
  });
  const again = await api.call('POST', `v1/purchase-orders/${poId}/receipts`, {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 3 }],
  });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ duplicate: true, released: [] });
  const stock = await api.ok('POST', 'v1/inventory/query', { skus: [sku], sourceIds: [source] });
  expect(stock.items).toEqual([
    expect.objectContaining({ measures: expect.objectContaining({ onhand: 4 }) }),
  ]);

  const listed = await api.ok('GET', `v1/purchase-orders?sourceId=${source}&state=partially%20received`);
  expect((listed.items as Json[]).map((o) => o.id)).toEqual([poId]);
  const bad = await api.call('GET', 'v1/purchase-orders?state=sleeping');
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/state' })]);

  const cancelled = await api.ok('POST', `v1/purchase-orders/${poId}/cancel`);
  expect(cancelled).toMatchObject({
    state: 'cancelled',
    lines: [{ received: 3, open: 0, state: 'cancelled' }],
  });
  expect((await api.ok('GET', `v1/inventory/schedules?sku=${sku}`)).items).toEqual([]);
  const missing = await api.call('GET', `v1/purchase-orders/NOPE-${run}`);
  expect(missing.status).toBe(404);
  expect(String(missing.body.type)).toMatch(/purchase-order-not-found$/);

  const sameSource = await api.call('PUT', `v1/transfer-orders/TO-${run}`, {
    fromSourceId: source,
    toSourceId: source,
    shipDate: day(1),
    expectedDate: day(2),
    lines: [{ lineId: '1', sku, quantity: 1 }],
  });
  expect(sameSource.status).toBe(400);
  expect(sameSource.body.errors).toEqual([{ path: '/toSourceId', message: 'must differ from fromSourceId' }]);
  const transfer = await api.call('PUT', `v1/transfer-orders/TO-${run}`, {
    fromSourceId: source,
    toSourceId: other,
    shipDate: day(1),
    expectedDate: day(2),
    lines: [{ lineId: '1', sku, quantity: 1 }],
  });
  expect(transfer.status).toBe(201);
  const moved = await api.call('POST', `v1/transfer-orders/TO-${run}/receipts`, {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 1 }],
  });
  expect(moved.status).toBe(201);
  expect(moved.body).toMatchObject({ order: { state: 'received' } });
});

it('imports purchase orders from a dropped CSV and reports the bad row', async () => {
  const [source, sku] = [`PURF-W-${run}`, `PURF-${run}`];
  await api.ok('PUT', `v1/sources/${source}`, {
    name: source,
    type: 'warehouse',
    address: { postalCode: '10001', country: 'US' },
    online: true,
  });
  await api.ok('PUT', `v1/products/${sku}`, { name: sku });
  const csv = [
    'purchaseOrderId,supplier,sourceId,expectedDate,lineId,sku,quantity',
    `POF1-${run},Acme,${source},${day(3)},1,${sku},10`,
    `POF2-${run},Acme,${source},${day(3)},1,${sku},-1`,
  ].join('\n');
  const container = blobs().getContainerClient('purchase-order-imports');
  await container.createIfNotExists();
  await container.getBlockBlobClient(`${run}.csv`).upload(csv, Buffer.byteLength(csv));

  const report = blobs()
    .getContainerClient('purchase-order-imports-results')
    .getBlobClient(`${run}.csv.json`);
  await waitFor(async () => report.exists(), { what: 'the import report', timeoutMs: 60_000 });
  const body = JSON.parse((await report.downloadToBuffer()).toString('utf8')) as Json;
  expect(body).toMatchObject({ rows: 2, purchaseOrders: 2, created: 1, failed: 1 });
  expect(body.errors).toEqual([{ row: 3, column: 'quantity', message: 'must be > 0' }]);
  expect(await api.ok('GET', `v1/purchase-orders/POF1-${run}`)).toMatchObject({
    state: 'open',
    sourceId: source,
    lines: [{ lineId: '1', sku, quantity: 10, open: 10 }],
  });
});
