import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import ExcelJS from 'exceljs';
import { importPurchaseOrderFileHandler } from '../../functions/purchase-order-imports';
import { raiseBusinessEvent } from '../../shared/app/events/raise-business-event';
import { getSourceRepository } from '../../shared/app/fulfillment/wiring';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import { computeAtp } from '../../shared/app/inventory/atp/compute-atp';
import { getAtpDeps } from '../../shared/app/inventory/atp/wiring';
import { holdOrderLines } from '../../shared/app/inventory/holds/hold-order-lines';
import { getHoldDeps, getHoldValidators } from '../../shared/app/inventory/holds/wiring';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import { putSchedule } from '../../shared/app/inventory/schedules/inventory-schedules';
import { scheduleDeps } from '../../shared/app/inventory/schedules/wiring';
import { getInventoryDeps } from '../../shared/app/inventory/wiring';
import { getOrderRepository } from '../../shared/app/orders/wiring';
import {
  getCosmosDatabase,
  getGeocoder,
  getStorageClients,
  setClock,
} from '../../shared/app/platform/wiring';
import { getProductRepository } from '../../shared/app/products/wiring';
import { cancelSupplyOrder } from '../../shared/app/purchasing/cancel-supply-order';
import type { PurchaseOrderImportReport } from '../../shared/app/purchasing/import-purchase-order-file';
import { putSupplyOrder } from '../../shared/app/purchasing/put-supply-order';
import { getSupplyOrder, listSupplyOrders } from '../../shared/app/purchasing/query-supply-orders';
import { receiveSupplyOrder } from '../../shared/app/purchasing/receive-supply-order';
import { getPurchasingDeps } from '../../shared/app/purchasing/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { ValidationError } from '../../shared/domain/errors';
import { sourceFromInput } from '../../shared/domain/fulfillment/source';
import { newOrder } from '../../shared/domain/orders/order';
import { productFromInput } from '../../shared/domain/products/product';

// Purchase and transfer orders through the real use cases on the embedded Cosmos server (and the
// file drop's reports in Azurite), with the inventory core, ATP and backorder holds they feed. Time
// comes from the clock port: today is 2026-03-02, so the 7-day ATP period is 03-02 … 03-08.

let now = new Date('2026-03-02T09:00:00.000Z');
const saved = { ...process.env };

beforeAll(async () => {
  process.env = { ...saved, COSMOS_DATABASE: `it-purchasing-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
  const sources = await getSourceRepository();
  for (const id of ['W1', 'W2']) {
    await sources.create(
      sourceFromInput(
        id,
        {
          name: id,
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
  }
  for (const sku of ['P1', 'T1', 'F1', 'F2']) {
    await (await getProductRepository()).create(productFromInput(sku, { name: sku }, undefined, now));
  }
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

async function stock(sku: string, sourceId: string, quantity: number) {
  const results = await applyInventoryChanges(await getInventoryDeps(), [
    { id: randomUUID(), sku, sourceId, measure: 'onhand', quantity },
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied']);
}

async function measures(sku: string, sourceId: string) {
  const { items } = await queryInventory(await getInventoryDeps(), { skus: [sku], sourceIds: [sourceId] });
  return items[0]?.measures;
}

/** The ATP table as rows `[date, onHand, supply, demand, projected, atp]`, date without the year. */
async function atp(sku: string, sourceId: string) {
  const answer = await computeAtp(await getAtpDeps(), { skus: [sku], sourceIds: [sourceId] });
  expect(answer).toMatchObject({ startDate: '2026-03-02', days: 7 });
  return answer.items[0]!.days.map((d) => [
    d.date.slice(5),
    d.onHand,
    d.supply,
    d.demand,
    d.projected,
    d.atp,
  ]);
}

/** An order whose header and line passed validation (`in progress`), as the journey leaves them. */
async function validatedOrder(sku: string, quantity: number): Promise<string> {
  const orderId = randomUUID().replace(/-/g, '').toUpperCase();
  const created = newOrder(
    {
      externalId: orderId,
      currency: 'USD',
      customer: {},
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [{ sku, quantity }],
    },
    { orderId, intakeKey: orderId },
    now
  );
  await (await getOrderRepository()).createWithTimeline(created, []);
  const { events } = await getHoldDeps();
  await raiseBusinessEvent(events, {
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  await raiseBusinessEvent(events, {
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '1',
    orderId,
  });
  return orderId;
}

async function lineState(orderId: string) {
  const order = await (await getOrderRepository()).get(orderId);
  return `${order!.lines[0]!.state} / ${order!.lines[0]!.stateReason ?? ''}`;
}

async function linkedEntries(kind: 'purchaseOrder' | 'transferOrder', id: string) {
  const entries = await (await getPurchasingDeps()).schedules.findLinked({ kind, id });
  return entries
    .map((e) => [e.schedule.id, e.schedule.sourceId, e.schedule.kind, e.schedule.quantity, e.schedule.date])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/** Drops a file in `purchase-order-imports` as the blob trigger delivers it, and reads its report. */
async function drop(name: string, content: Buffer, etag: string) {
  const context = new InvocationContext({
    functionName: 'importPurchaseOrderFile',
    triggerMetadata: {
      name,
      blobTrigger: `purchase-order-imports/${name}`,
      properties: { etag: `"${etag}"` },
    },
  });
  await importPurchaseOrderFileHandler(content, context);
  const blob = getStorageClients()
    .blobs.getContainerClient('purchase-order-imports-results')
    .getBlobClient(`${name}.json`);
  return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as PurchaseOrderImportReport;
}

function issuesOf(err: unknown) {
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).errors;
}

it('feeds ATP from an open purchase order, and its receipts raise on-hand and release backordered lines oldest first', async () => {
  await stock('P1', 'W1', 3);
  // A schedule entry typed by hand, with free text, works as before beside the order's linked ones.
  await putSchedule(await scheduleDeps(), 'OUT-1', {
    sku: 'P1',
    sourceId: 'W1',
    kind: 'demand',
    quantity: 2,
    date: '2026-03-04',
    reference: 'wholesale pick-up',
  });
  //              date    onHand supply demand projected atp
  expect(await atp('P1', 'W1')).toEqual([
    ['03-02', 3, 0, 0, 3, 1],
    ['03-03', 3, 0, 0, 3, 1],
    ['03-04', 3, 0, 2, 1, 1],
    ['03-05', 1, 0, 0, 1, 1],
    ['03-06', 1, 0, 0, 1, 1],
    ['03-07', 1, 0, 0, 1, 1],
    ['03-08', 1, 0, 0, 1, 1],
  ]);

  const put = await putSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
    supplier: 'Acme',
    sourceId: 'W1',
    expectedDate: '2026-03-05',
    lines: [
      { lineId: '1', sku: 'P1', quantity: 10 },
      { lineId: '2', sku: 'P1', quantity: 4, expectedDate: '2026-03-07' },
    ],
  });
  expect(put.created).toBe(true);
  expect(put.order.state).toBe('open');
  expect(await linkedEntries('purchaseOrder', 'PO-1')).toEqual([
    ['po:PO-1:1', 'W1', 'supply', 10, '2026-03-05'],
    ['po:PO-1:2', 'W1', 'supply', 4, '2026-03-07'],
  ]);
  expect(await atp('P1', 'W1')).toEqual([
    ['03-02', 3, 0, 0, 3, 1],
    ['03-03', 3, 0, 0, 3, 1],
    ['03-04', 3, 0, 2, 1, 1],
    ['03-05', 1, 10, 0, 11, 11],
    ['03-06', 11, 0, 0, 11, 11],
    ['03-07', 11, 4, 0, 15, 15],
    ['03-08', 15, 0, 0, 15, 15],
  ]);
  // The same PUT again changes nothing in the schedule (the entries are derived, not added).
  await putSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
    supplier: 'Acme',
    sourceId: 'W1',
    expectedDate: '2026-03-05',
    lines: [
      { lineId: '1', sku: 'P1', quantity: 10 },
      { lineId: '2', sku: 'P1', quantity: 4, expectedDate: '2026-03-07' },
    ],
  });
  expect(await linkedEntries('purchaseOrder', 'PO-1')).toHaveLength(2);
  // An entry the order keeps cannot be rewritten by hand.
  await expect(
    putSchedule(await scheduleDeps(), 'po:PO-1:1', {
      sku: 'P1',
      sourceId: 'W1',
      kind: 'supply',
      quantity: 1,
      date: '2026-03-05',
    })
  ).rejects.toMatchObject({ code: 'schedule-entry-linked' });

  // Two lines of 5 cannot be reserved from 3: both wait, expected when the PO arrives.
  const first = await validatedOrder('P1', 5);
  const second = await validatedOrder('P1', 5);
  for (const orderId of [first, second]) {
    now = new Date(now.getTime() + 60_000); // the first is held first: it is the older in the queue
    const checked = await holdOrderLines(
      { ...(await getHoldDeps()), validate: getHoldValidators().check },
      { orderId }
    );
    expect(checked.lines).toEqual([
      {
        lineId: '1',
        sku: 'P1',
        quantity: 5,
        outcome: 'backorder-hold',
        estimatedAvailableDate: '2026-03-05',
      },
    ]);
  }

  // A partial receipt: 6 of line 1 arrive. On-hand 9 covers the older line (5), not the younger one too.
  const receipt = await receiveSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 6 }],
  });
  expect(receipt.duplicate).toBe(false);
  expect(receipt.order.state).toBe('partially received');
  expect(receipt.inventory).toEqual([
    expect.objectContaining({
      lineId: '1',
      sku: 'P1',
      sourceId: 'W1',
      direction: 'in',
      quantity: 6,
      status: 'applied',
    }),
  ]);
  expect(receipt.released.map((r) => r.orderId)).toEqual([first]);
  expect(await lineState(first)).toBe('fulfillment in process / inventory check successful');
  expect(await lineState(second)).toBe('on hold / backorder hold');
  expect(await measures('P1', 'W1')).toMatchObject({ onhand: 9, softReserved: 5, availableToReserve: 4 });
  expect(await linkedEntries('purchaseOrder', 'PO-1')).toEqual([
    ['po:PO-1:1', 'W1', 'supply', 4, '2026-03-05'],
    ['po:PO-1:2', 'W1', 'supply', 4, '2026-03-07'],
  ]);
  expect(await atp('P1', 'W1')).toEqual([
    ['03-02', 4, 0, 0, 4, 2],
    ['03-03', 4, 0, 0, 4, 2],
    ['03-04', 4, 0, 2, 2, 2],
    ['03-05', 2, 4, 0, 6, 6],
    ['03-06', 6, 0, 0, 6, 6],
    ['03-07', 6, 4, 0, 10, 10],
    ['03-08', 10, 0, 0, 10, 10],
  ]);

  // The same receipt again: a duplicate, nothing moves.
  const again = await receiveSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 6 }],
  });
  expect(again.duplicate).toBe(true);
  expect(again.inventory.map((r) => r.status)).toEqual(['duplicate']);
  expect(again.order.receipts).toHaveLength(1);
  expect(await measures('P1', 'W1')).toMatchObject({ onhand: 9 });

  // More than is open is refused at the line's path; nothing changes.
  const refused = await receiveSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
    id: 'R2',
    lines: [{ lineId: '1', quantity: 5 }],
  }).catch((err: unknown) => err);
  expect(issuesOf(refused)).toEqual([
    { path: '/lines/0/quantity', message: 'is more than the open quantity 4' },
  ]);

  // The rest arrives: the order is received, its entries are gone, the younger line is released.
  const rest = await receiveSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
    id: 'R2',
    lines: [
      { lineId: '1', quantity: 4 },
      { lineId: '2', quantity: 4 },
    ],
  });
  expect(rest.order.state).toBe('received');
  expect(rest.released.map((r) => r.orderId)).toEqual([second]);
  expect(await lineState(second)).toBe('fulfillment in process / inventory check successful');
  expect(await measures('P1', 'W1')).toMatchObject({ onhand: 17, softReserved: 10 });
  expect(await linkedEntries('purchaseOrder', 'PO-1')).toEqual([]);
  expect(await (await scheduleDeps()).schedules.get('OUT-1')).toMatchObject({
    schedule: { reference: 'wholesale pick-up' },
  });

  const stored = await getSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1');
  expect(stored.order.lines.map((l) => [l.lineId, l.state, l.received])).toEqual([
    ['1', 'received', 10],
    ['2', 'received', 4],
  ]);
  await expect(
    putSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-1', {
      sourceId: 'W1',
      expectedDate: '2026-03-05',
      lines: [{ lineId: '1', sku: 'P1', quantity: 12 }],
    })
  ).rejects.toMatchObject({ code: 'supply-order-closed' });
  const listed = await listSupplyOrders(await getPurchasingDeps(), 'purchaseOrder', {
    state: 'received',
    sourceId: 'W1',
  });
  expect(listed.items.map((o) => o.id)).toContain('PO-1');
});

it('moves a transfer: demand at the source on the ship date, supply at the destination, stock moved on receipt', async () => {
  await stock('T1', 'W1', 10);
  const put = await putSupplyOrder(await getPurchasingDeps(), 'transferOrder', 'TO-1', {
    fromSourceId: 'W1',
    toSourceId: 'W2',
    shipDate: '2026-03-03',
    expectedDate: '2026-03-04',
    lines: [{ lineId: '1', sku: 'T1', quantity: 4 }],
  });
  expect(put.order.state).toBe('open');
  expect(await linkedEntries('transferOrder', 'TO-1')).toEqual([
    ['to:TO-1:1:in', 'W2', 'supply', 4, '2026-03-04'],
    ['to:TO-1:1:out', 'W1', 'demand', 4, '2026-03-03'],
  ]);
  expect((await atp('T1', 'W1')).map((d) => d[5])).toEqual([6, 6, 6, 6, 6, 6, 6]);
  expect((await atp('T1', 'W2')).map((d) => d[5])).toEqual([0, 0, 4, 4, 4, 4, 4]);

  const receipt = await receiveSupplyOrder(await getPurchasingDeps(), 'transferOrder', 'TO-1', {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 4 }],
  });
  expect(receipt.order.state).toBe('received');
  expect(receipt.inventory.map((r) => [r.sourceId, r.direction, r.status])).toEqual([
    ['W2', 'in', 'applied'],
    ['W1', 'out', 'applied'],
  ]);
  expect(await measures('T1', 'W1')).toMatchObject({ onhand: 6 });
  expect(await measures('T1', 'W2')).toMatchObject({ onhand: 4 });
  expect(await linkedEntries('transferOrder', 'TO-1')).toEqual([]);
});

it('cancels what is open: the entries go, what was received stays', async () => {
  await putSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-C', {
    sourceId: 'W2',
    expectedDate: '2026-03-06',
    lines: [{ lineId: '1', sku: 'P1', quantity: 5 }],
  });
  await receiveSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-C', {
    id: 'R1',
    lines: [{ lineId: '1', quantity: 2 }],
  });
  const cancelled = await cancelSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-C');
  expect(cancelled.order.state).toBe('cancelled');
  expect(cancelled.order.lines[0]).toMatchObject({ state: 'cancelled', received: 2 });
  expect(await linkedEntries('purchaseOrder', 'PO-C')).toEqual([]);
  expect(await measures('P1', 'W2')).toMatchObject({ onhand: 2 });
});

it('imports purchase orders from a dropped file, reporting a bad row; the same content again changes nothing', async () => {
  const csv = [
    'purchaseOrderId,supplier,sourceId,expectedDate,lineId,sku,quantity,lineExpectedDate',
    'PO-F1,Acme,W1,2026-03-05,1,F1,10,',
    'PO-F1,Acme,W1,2026-03-05,2,F2,5,2026-03-07',
    'PO-F2,Acme,W1,2026-03-06,1,F1,seven,',
    'PO-F3,Acme,W1,2026-03-06,1,NO-SUCH-SKU,1,',
  ].join('\n');
  const report = await drop('week-10.csv', Buffer.from(csv), 'v1');
  expect(report).toMatchObject({
    file: 'week-10.csv',
    format: 'csv',
    rows: 4,
    purchaseOrders: 3,
    created: 1,
    updated: 0,
    unchanged: 0,
    failed: 2,
  });
  expect(report.errors).toEqual([
    { row: 4, column: 'quantity', message: 'must be a number' },
    { row: 4, column: 'purchaseOrderId', message: 'purchase order PO-F2 was not imported: fix row 4' },
    { row: 5, column: 'sku', message: 'no product has SKU "NO-SUCH-SKU"' },
  ]);
  expect(await linkedEntries('purchaseOrder', 'PO-F1')).toEqual([
    ['po:PO-F1:1', 'W1', 'supply', 10, '2026-03-05'],
    ['po:PO-F1:2', 'W1', 'supply', 5, '2026-03-07'],
  ]);
  await expect(getSupplyOrder(await getPurchasingDeps(), 'purchaseOrder', 'PO-F2')).rejects.toMatchObject({
    code: 'purchase-order-not-found',
  });

  // The same version delivered again keeps its report; a new version of the same content changes nothing.
  expect(await drop('week-10.csv', Buffer.from(csv), 'v1')).toEqual(report);
  const again = await drop('week-10.csv', Buffer.from(csv), 'v2');
  expect(again).toMatchObject({ purchaseOrders: 3, created: 0, updated: 0, unchanged: 1, failed: 2 });
  expect(await linkedEntries('purchaseOrder', 'PO-F1')).toHaveLength(2);
});

it('reads a purchase order workbook with date cells', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('orders');
  sheet.addRow([
    'purchaseOrderId',
    'sourceId',
    'expectedDate',
    'lineId',
    'sku',
    'quantity',
    'lineExpectedDate',
  ]);
  sheet.addRow(['PO-X1', 'W2', new Date(Date.UTC(2026, 2, 6)), 1, 'F1', 7, null]);
  sheet.addRow(['PO-X1', 'W2', null, 2, 'F2', 3, new Date(Date.UTC(2026, 2, 8))]);
  const content = Buffer.from(await workbook.xlsx.writeBuffer());
  const report = await drop('orders.xlsx', content, 'x1');
  expect(report).toMatchObject({
    format: 'xlsx',
    rows: 2,
    purchaseOrders: 1,
    created: 1,
    failed: 0,
    errors: [],
  });
  expect(await linkedEntries('purchaseOrder', 'PO-X1')).toEqual([
    ['po:PO-X1:1', 'W2', 'supply', 7, '2026-03-06'],
    ['po:PO-X1:2', 'W2', 'supply', 3, '2026-03-08'],
  ]);
});
