import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { startEmbeddedServices, type EmbeddedServices } from '@openiom/local-functions-host';
import { callWithKey, fulfillmentOrdersByOrder } from '../support/crash-app';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// `kill -9` of the host with orders in flight through the default journey: after a restart every
// order reaches its fulfillment order exactly once and exactly the ordered units are soft-reserved.
// The services run in this test's process and live on (a kill of them too is another matter).
const key = 'journeys-crash-key';
const orders = 100;
let services: EmbeddedServices;
let dataDir: string;
let host: HostProcess | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-journeys-crash-'));
  services = await startEmbeddedServices({ dataDir: path.join(dataDir, 'services') });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await services?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): Promise<HostProcess> {
  return startHostProcess(
    {
      AzureWebJobsStorage: services.storageConnectionString,
      COSMOS_ENDPOINT: services.cosmosEndpoint,
      COSMOS_KEY: services.cosmosKey,
      OPENIOM_DATA_DIR: path.join(dataDir, 'host'),
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_SEED_JOURNEYS: 'true',
      // Messages the killed host was handling come back when their lease runs out.
      FUNCTIONS_HOST_QUEUE_LEASE_SECONDS: '15',
    },
    90_000
  );
}

function call(method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
  return callWithKey(host!.url, key, method, route, body);
}

it('kill -9 of the host with 100 orders in flight: after a restart each reaches one fulfillment order, reserved once', async () => {
  host = await start();
  await call('PUT', '/api/v1/products/CRASH-1', { name: 'Crash test item' });
  await call('PUT', '/api/v1/sources/ONLY', {
    name: 'Only warehouse',
    type: 'warehouse',
    address: { postalCode: '10001', country: 'US' },
    online: true,
  });
  await call('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'CRASH-1', sourceId: 'ONLY', measure: 'onhand', quantity: 10_000 },
  ]);
  const ordered = new Map<string, number>();
  for (let batch = 0; batch < orders / 10; batch++) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const n = batch * 10 + i;
        const quantity = 1 + (n % 3);
        const accepted = await call('POST', '/api/v1/orders', {
          externalId: `crash-${n}`,
          currency: 'USD',
          customer: { email: `crash-${n}@example.com` },
          shipTo: { postalCode: '10001', country: 'US' },
          lines: [{ sku: 'CRASH-1', quantity }],
        });
        ordered.set(accepted.orderId as string, quantity);
      })
    );
  }
  // Some journeys have started, some have not; none has finished its fulfillment orders yet, mostly.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const before = await fulfillmentOrdersByOrder({ call });
  await host.kill9();

  host = await start();
  const after = await waitFor(
    async () => {
      const byOrder = await fulfillmentOrdersByOrder({ call });
      return [...ordered.keys()].every((id) => byOrder.has(id)) ? byOrder : undefined;
    },
    {
      what: 'every order to reach its fulfillment order after the restart',
      timeoutMs: 90_000,
      intervalMs: 1000,
    }
  ).catch(async (err: unknown) => {
    // Say where the orders that did not get there stopped.
    const byOrder = await fulfillmentOrdersByOrder({ call });
    const missing = [...ordered.keys()].filter((id) => !byOrder.has(id));
    const stuck = await Promise.all(
      missing.map(async (id) => call('GET', `/api/v1/orders/${id}`).catch((e: unknown) => String(e)))
    );
    throw new Error(`${String(err)}; not there: ${JSON.stringify(stuck)}`);
  });
  expect(before.size).toBeLessThan(orders);
  for (const [orderId, quantity] of ordered) {
    expect({ orderId, fulfillmentOrders: after.get(orderId) }).toEqual({
      orderId,
      fulfillmentOrders: [{ id: expect.any(String) as string, quantity }],
    });
  }
  const query = await call('POST', '/api/v1/inventory/query', { skus: ['CRASH-1'], sourceIds: ['ONLY'] });
  const measures = (query.items as { measures: Record<string, number> }[])[0]!.measures;
  const total = [...ordered.values()].reduce((sum, q) => sum + q, 0);
  expect(measures.softReserved).toBe(total);
}, 400_000);
