import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { startHostProcess, type HostProcess } from '../support/host-process';

// `npm start` seeds demo data (OPENIOM_SEED_DEMO, default true) so a new user can plan an order at once.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-demo-'));
const key = 'demo-key';
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
let host: HostProcess | undefined;
const ownServices = {
  AzureWebJobsStorage: '',
  COSMOS_ENDPOINT: '',
  COSMOS_KEY: '',
  OPENIOM_DATA_DIR: dataDir,
  OPENIOM_FUNCTIONS_KEY: key,
  OPENIOM_SEED_DEMO: 'true',
};

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('seeds products, sources, stock and a default strategy, and plans against them', async () => {
  host = await startHostProcess(ownServices, 90_000);
  const seeded = /^demo data: (.*)$/m.exec(host.stdout)?.[1] ?? '';
  for (const made of [
    'product TSHIRT-BLK-M',
    'source NYC-DC',
    'on-hand stock',
    'default fulfillment strategy',
  ]) {
    expect(seeded).toContain(made);
  }

  const source = await fetch(`${host.url}/api/v1/sources/SEA-STORE`, { headers });
  expect(source.status).toBe(200);
  expect(await source.json()).toMatchObject({ type: 'store', location: { geocoded: true }, online: true });

  const stock = await fetch(`${host.url}/api/v1/inventory/query`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ skus: ['MUG-WHT'], sourceIds: ['CHI-DC'] }),
  });
  expect(stock.status).toBe(200);
  const rows = (await stock.json()) as { items: { sourceId: string; measures: Record<string, number> }[] };
  expect(rows.items).toEqual([expect.objectContaining({ sourceId: 'CHI-DC' })]);
  expect(rows.items[0]!.measures.onhand).toBe(150);

  // A New York order of mugs ships from the New York DC, the nearest with stock.
  const plan = await fetch(`${host.url}/api/v1/fulfillment/plan`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [{ lineId: '1', sku: 'MUG-WHT', quantity: 3 }],
    }),
  });
  expect(plan.status).toBe(200);
  const planned = (await plan.json()) as {
    planLines: { status: string; allocations: { sourceId: string }[] }[];
  };
  expect(planned.planLines[0]).toMatchObject({
    status: 'fully-sourced',
    allocations: [expect.objectContaining({ sourceId: 'NYC-DC', quantity: 3 })],
  });
});

it('does not seed again into a store that has data, so a restart keeps what the user changed', async () => {
  const set = await fetch(`${host!.url}/api/v1/inventory/onhand/set`, {
    method: 'POST',
    headers,
    body: JSON.stringify([{ sku: 'MUG-WHT', sourceId: 'CHI-DC', measure: 'onhand', quantity: 7 }]),
  });
  expect(set.status).toBe(200);
  await host!.stop();
  host = await startHostProcess(ownServices, 90_000);
  expect(host.stdout).not.toMatch(/^demo data:/m);
  const stock = await fetch(`${host.url}/api/v1/inventory/query`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ skus: ['MUG-WHT'], sourceIds: ['CHI-DC'] }),
  });
  const rows = (await stock.json()) as { items: { measures: Record<string, number> }[] };
  expect(rows.items[0]!.measures.onhand).toBe(7);
});
