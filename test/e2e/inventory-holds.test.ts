import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// Backorder holds and ATP over HTTP on the local host (the timer is registered with its schedule;
// the re-check runs on demand here).
const key = 'inventory-holds-key';
const run = Date.now().toString(36);
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
let host: HostProcess;

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
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-inventory-holds-')),
    OPENIOM_HOLD_RECHECK_SCHEDULE: '0 30 3 * * *',
  });
});

afterAll(async () => {
  await host?.stop();
});

/** An order from direct intake, with its header and lines validated as the journey would. */
async function validatedOrder(sku: string, quantity: number): Promise<string> {
  const created = await call('POST', 'v1/orders', {
    externalId: `${run}-${Math.random()}`,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '10001', country: 'US' },
    lines: [{ sku, quantity }],
  });
  expect(created.status).toBe(202);
  const orderId = created.body.orderId as string;
  // The intake queue creates it; on a machine busy with other suites that can take a while.
  await waitFor(async () => (await call('GET', `v1/orders/${orderId}`)).status === 200, {
    what: 'the order',
    timeoutMs: 60_000,
  });
  const header = await call('POST', 'v1/events', {
    name: 'Validation of Order Header has Succeeded',
    entityType: 'order',
    entityId: orderId,
  });
  expect(header.status).toBe(201);
  const line = await call('POST', 'v1/events', {
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: '1',
    orderId,
  });
  expect(line.status).toBe(201);
  return orderId;
}

it('backorders lines without stock, shows the supply in ATP, and releases the oldest when stock arrives', async () => {
  const [source, sku] = [`HOLD-W-${run}`, `HOLD-${run}`];
  expect(
    (
      await call('PUT', `v1/sources/${source}`, {
        name: 'Hold test warehouse',
        type: 'warehouse',
        address: { postalCode: '10001', country: 'US' },
        online: true,
      })
    ).status
  ).toBe(201);
  expect((await call('PUT', `v1/products/${sku}`, { name: sku })).status).toBe(201);
  const today = new Date().toISOString().slice(0, 10);
  const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const po = await call('PUT', `v1/inventory/schedules/PO-${run}`, {
    sku,
    sourceId: source,
    kind: 'supply',
    quantity: 3,
    date: inTwoDays,
    reference: 'PO 1',
  });
  expect(po.status).toBe(201);

  const atp = await call('POST', 'v1/inventory/atp', { skus: [sku], days: 3 });
  expect(atp.status).toBe(200);
  expect(atp.body).toMatchObject({ startDate: today, days: 3 });
  expect((atp.body.items as { days: { atp: number }[] }[])[0]!.days.map((d) => d.atp)).toEqual([0, 0, 3]);

  const first = await validatedOrder(sku, 2);
  const second = await validatedOrder(sku, 2);
  for (const orderId of [first, second]) {
    const checked = await call('POST', 'v1/inventory/holds/check', { orderId });
    expect(checked.status).toBe(200);
    expect(checked.body.lines).toEqual([
      { lineId: '1', sku, quantity: 2, outcome: 'backorder-hold', estimatedAvailableDate: inTwoDays },
    ]);
  }
  const order = await call('GET', `v1/orders/${first}`);
  expect((order.body.lines as unknown[])[0]).toMatchObject({
    state: 'on hold',
    stateReason: 'backorder hold',
  });

  const bulk = await call('POST', 'v1/inventory/onhand/bulk', [
    { id: `${run}-receipt`, sku, sourceId: source, measure: 'onhand', quantity: 3 },
  ]);
  expect(bulk.status).toBe(200);
  const recheck = await call('POST', 'v1/inventory/holds/recheck');
  expect(recheck.status).toBe(200);
  const released = (recheck.body.released as { sku: string; orderId: string }[]).filter((r) => r.sku === sku);
  expect(released.map((r) => r.orderId)).toEqual([first]);
  expect(((await call('GET', `v1/orders/${first}`)).body.lines as unknown[])[0]).toMatchObject({
    state: 'fulfillment in process',
  });

  const held = await call('GET', `v1/inventory/holds?state=held&sku=${encodeURIComponent(sku)}`);
  expect(held.status).toBe(200);
  expect((held.body.items as { orderId: string }[]).map((h) => h.orderId)).toEqual([second]);
  const bad = await call('GET', 'v1/inventory/holds?state=sleeping');
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/state' })]);
});
