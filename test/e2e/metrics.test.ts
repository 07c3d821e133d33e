import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { apiClient } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// GET /api/v1/metrics on the local host (docs/metrics.md): the counters move by exactly what was sent.
// A host with services of its own and the default journeys: the counts are of this store only.
const key = 'metrics-key';
let host: HostProcess;
// Every answer is also checked against the OpenAPI description.
const { call, ok } = apiClient(() => host.url, key);

interface Metrics {
  at: string;
  intake: { received: number; duplicates: number; rejected: number };
  orders: { total: number; byState: Record<string, number> };
  journeys: Record<string, number>;
  errorLists: Record<string, number> & { byList: Record<string, Record<string, number>> };
}

const metrics = async () => (await ok('GET', '/api/v1/metrics')) as unknown as Metrics;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-metrics-'));
  host = await startHostProcess(
    { ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key, OPENIOM_SEED_JOURNEYS: 'true' },
    90_000
  );
}, 120_000);

afterAll(async () => {
  await host?.stop();
});

it('counts intake, orders by state, journeys and error lists from what is stored', async () => {
  const before = await metrics();
  expect(Date.parse(before.at)).not.toBeNaN();
  expect(before.orders.byState).toMatchObject({
    new: expect.any(Number),
    'on hold': expect.any(Number),
    other: 0,
  });

  // An order whose customer the journey's header validation refuses: it fails into an error list.
  const order = {
    externalId: `metrics-${Date.now().toString(36)}`,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '10001', country: 'US' },
    lines: [{ sku: 'SKU-A', quantity: 1, unitPrice: 1000 }],
  };
  const accepted = await ok('POST', '/api/v1/orders', order);
  expect(await ok('POST', '/api/v1/orders', order)).toMatchObject({
    orderId: accepted.orderId,
    duplicate: true,
  });
  const { currency: _currency, ...withoutCurrency } = order;
  expect((await call('POST', '/api/v1/orders', { ...withoutCurrency, externalId: 'refused' })).status).toBe(
    400
  );

  const failed = await waitFor(
    async () => {
      const found = await call('GET', `/api/v1/orders/${String(accepted.orderId)}`);
      const journey = found.body.journey as { status: string } | null | undefined;
      return found.status === 200 && journey?.status === 'failed' ? found.body : undefined;
    },
    { what: "the order's journey to fail", timeoutMs: 90_000 }
  );
  const state = failed.state as string;

  const after = await metrics();
  expect(after.intake).toEqual({
    received: before.intake.received + 2,
    duplicates: before.intake.duplicates + 1,
    rejected: before.intake.rejected + 1,
  });
  expect(after.orders.total).toBe(before.orders.total + 1);
  expect(after.orders.byState[state]).toBe((before.orders.byState[state] ?? 0) + 1);
  expect(after.journeys).toEqual({ ...before.journeys, failed: before.journeys.failed! + 1 });
  expect(after.errorLists.open).toBe(before.errorLists.open! + 1);
  expect(after.errorLists.byList).toEqual({
    ...before.errorLists.byList,
    'orchestration-step': {
      ...before.errorLists.byList['orchestration-step'],
      open: before.errorLists.byList['orchestration-step']!.open! + 1,
    },
  });
  expect(Date.parse(after.at)).toBeGreaterThanOrEqual(Date.parse(before.at));
}, 150_000);

it('asks for the function key', async () => {
  expect((await fetch(`${host.url}/api/v1/metrics`)).status).toBe(401);
});
