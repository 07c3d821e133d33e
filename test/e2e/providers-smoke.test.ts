import { mkdtempSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { shopifyWebhookHeaders } from '../support/provider-servers/shopify-admin-server';
import { readProviderPayload } from '../support/provider-servers/request-log';
import { waitFor } from '../support/wait-for';

const key = 'providers-smoke-key';
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
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'openiom-providers-smoke-')),
  });
});

afterAll(async () => {
  await host?.stop();
});

it('turns a signed Shopify webhook into an order', async () => {
  const instanceId = `shop-${run}`;
  const secret = 'shhh';
  const put = await call('PUT', `v1/provider-instances/${instanceId}`, {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: 'https://example.myshopify.com' },
    secrets: { webhookSecret: secret },
  });
  if (put.status !== 201) console.log(host.stderr(), put.body);
  expect(put.status).toBe(201);
  for (const sku of ['IPOD2008GREEN', 'IPOD2008PINK', 'IPOD2008BLACK', 'IPOD2008RED'])
    await call('PUT', `v1/products/${sku}`, { name: sku });
  const order = (
    JSON.parse(readProviderPayload('shopify/rest-order.shopify-api-ruby-fixture.json')) as {
      order: Record<string, unknown>;
    }
  ).order;
  order.id = `${run}1`;
  const body = JSON.stringify(order).replace(`"id":"${run}1"`, `"id":${Number.parseInt(run, 36)}`);
  const res = await fetch(`${host.url}/api/providers/${instanceId}/webhook`, {
    method: 'POST',
    headers: shopifyWebhookHeaders({
      topic: 'orders/create',
      body,
      secret,
      shopDomain: 'example.myshopify.com',
    }),
    body,
  });
  const text = await res.text();
  expect([res.status, text]).toEqual([202, expect.any(String)]);
  const externalId = String(Number.parseInt(run, 36));
  const found = await waitFor(
    async () => {
      const list = await call('GET', `v1/orders?externalId=${externalId}`);
      const items = list.body.items as Record<string, unknown>[];
      return items.length > 0 ? items : undefined;
    },
    { timeoutMs: 15_000, what: 'the order' }
  ).catch(async (err) => {
    console.log(
      host.stderr().slice(-4000),
      JSON.stringify((await call('GET', 'v1/errors?list=provider-inbound')).body).slice(0, 3000)
    );
    throw err;
  });
  expect(found[0]).toMatchObject({ externalId, channel: instanceId });
  const errors = await call('GET', 'v1/errors?list=provider-inbound');
  expect(readFileSync).toBeDefined();
  console.log(JSON.stringify(errors.body).slice(0, 2000));
});
