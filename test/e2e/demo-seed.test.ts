import { createHmac } from 'crypto';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { repoRoot, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// `npm start` seeds demo data (OPENIOM_SEED_DEMO, default true) so a new user can plan an order at once.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-demo-'));
const key = 'demo-key';
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const demoShopSecret = 'demo-seed-shop-secret';
let host: HostProcess | undefined;
const ownServices = {
  AzureWebJobsStorage: '',
  COSMOS_ENDPOINT: '',
  COSMOS_KEY: '',
  OPENIOM_DATA_DIR: dataDir,
  OPENIOM_FUNCTIONS_KEY: key,
  OPENIOM_SEED_DEMO: 'true',
  OPENIOM_DEMO_SHOP_WEBHOOK_SECRET: demoShopSecret,
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

it('seeds the demo shop, which turns a signed Shopify webhook into an order of the mapped SKUs', async () => {
  const seeded = /^demo data: (.*)$/m.exec(host!.stdout)?.[1] ?? '';
  expect(seeded).toContain('mapping group demo-shop');
  expect(seeded).toContain('provider instance demo-shop');
  const instance = await fetch(`${host!.url}/api/v1/provider-instances/demo-shop`, { headers });
  expect(await instance.json()).toMatchObject({
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: 'https://demo-shop.myshopify.com', polling: false },
    secrets: { webhookSecret: { set: true } },
    mappingGroupId: 'demo-shop',
  });

  // The sample body the README sends, signed the way Shopify signs: base64 HMAC-SHA256 of the bytes.
  const body = readFileSync(path.join(repoRoot, 'docs', 'examples', 'demo-shop-order.json'));
  const webhook = (secret: string) =>
    fetch(`${host!.url}/api/providers/demo-shop/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
        'X-Shopify-Topic': 'orders/create',
        'X-Shopify-Shop-Domain': 'demo-shop.myshopify.com',
        'X-Shopify-API-Version': '2024-10',
        'X-Shopify-Webhook-Id': 'demo-seed-1',
      },
      body,
    });
  expect((await webhook('not-the-secret')).status).toBe(401);
  const sent = await webhook(demoShopSecret);
  expect([sent.status, await sent.json()]).toEqual([202, expect.objectContaining({ duplicate: false })]);

  // Its id is beyond 2^53: kept as the digits sent.
  const externalId = '820982911946154508';
  const listed = await waitFor(
    async () => {
      const list = await fetch(`${host!.url}/api/v1/orders?externalId=${externalId}`, { headers });
      const { items } = (await list.json()) as { items: { orderId: string }[] };
      return items.length > 0 ? items : undefined;
    },
    { timeoutMs: 30_000, what: 'the demo shop order' }
  );
  expect(listed).toHaveLength(1);
  const order = await fetch(`${host!.url}/api/v1/orders/${listed[0]!.orderId}`, { headers });
  const read = (await order.json()) as Record<string, unknown> & { lines: Record<string, unknown>[] };
  expect(read).toMatchObject({
    externalId,
    channel: 'demo-shop',
    currency: 'USD',
    customer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    shipTo: { line1: '350 5th Ave', city: 'New York', state: 'NY', postalCode: '10118', country: 'US' },
  });
  expect(read.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }))).toEqual([
    { sku: 'TSHIRT-BLK-M', quantity: 2, unitPrice: 1999 },
    { sku: 'MUG-WHT', quantity: 1, unitPrice: 1200 },
  ]);
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
