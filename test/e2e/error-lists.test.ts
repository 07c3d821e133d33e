import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { startEmbeddedServices, type EmbeddedServices } from '@openiom/local-functions-host';
import { repoRoot, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';
import { checkedFetch } from '../support/openapi-contract';

// Every answer of the app is checked against its OpenAPI description.
const api = checkedFetch();

// The meter and the provider-inbound error list on the local host. This host gets its own Azurite and
// Cosmos server: the meter totals must be exact, and a host of another test file sharing the
// services would consume this test's `order-intake` messages into its own database.
const key = 'errors-key';
const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-errors-'));
let services: EmbeddedServices;
let host: HostProcess;
let queues: QueueServiceClient;
let blobs: BlobServiceClient;

function anOrder(externalId: string, lineCount: number) {
  return {
    externalId,
    currency: 'USD',
    customer: { name: 'Ada' },
    shipTo: { postalCode: '98052', country: 'US' },
    lines: Array.from({ length: lineCount }, (_, i) => ({ sku: `SKU-${i}`, quantity: i + 1 })),
  };
}

async function getJson<T>(route: string): Promise<{ status: number; body: T; type: string | null }> {
  const res = await api(`${host.url}${route}`, { headers });
  return { status: res.status, body: (await res.json()) as T, type: res.headers.get('content-type') };
}

async function putOnQueue(queueName: string, message: unknown) {
  const queue = queues.getQueueClient(queueName);
  await queue.createIfNotExists();
  await queue.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
}

/** Waits until the queue holds no message, visible or in flight (the trigger deletes it when done). */
async function drained(queueName: string) {
  await waitFor(
    async () =>
      (await queues.getQueueClient(queueName).getProperties()).approximateMessagesCount === 0 || undefined,
    { what: `${queueName} to drain`, timeoutMs: 20_000 }
  );
}

interface MonthUsage {
  month: string;
  orderLines: number;
  orders: number;
}

interface ErrorEntry {
  id: string;
  kind: string;
  createdAt: string;
  source: string;
  message: string;
  detail?: string;
  payload?: string;
  orderId?: string;
  status: string;
  attempts: number;
  resubmittedAt?: string;
  requeuedAt?: string;
}

beforeAll(async () => {
  const servicesDir = path.join(dataDir, 'services');
  mkdirSync(servicesDir);
  services = await startEmbeddedServices({ dataDir: servicesDir, restartOnCrash: false });
  // Retries after 1 s instead of 30 s, so a message reaches the poison queue within seconds.
  const hostJson = JSON.parse(readFileSync(path.join(repoRoot, 'host.json'), 'utf8')) as {
    extensions: { queues: Record<string, unknown> };
  };
  hostJson.extensions.queues.visibilityTimeout = '00:00:01';
  hostJson.extensions.queues.maxPollingInterval = '00:00:01';
  const hostJsonPath = path.join(dataDir, 'host.json');
  writeFileSync(hostJsonPath, JSON.stringify(hostJson));
  host = await startHostProcess({
    AzureWebJobsStorage: services.storageConnectionString,
    COSMOS_ENDPOINT: services.cosmosEndpoint,
    COSMOS_KEY: services.cosmosKey,
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: path.join(dataDir, 'host'),
    OPENIOM_HOST_JSON: hostJsonPath,
  });
  queues = QueueServiceClient.fromConnectionString(services.storageConnectionString);
  blobs = BlobServiceClient.fromConnectionString(services.storageConnectionString);
}, 90_000);

afterAll(async () => {
  await host?.stop();
  await services?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('meter', () => {
  it('counts exactly the lines of 20 orders created concurrently, and a redelivered one once', async () => {
    const lineCounts = Array.from({ length: 20 }, (_, i) => (i % 5) + 1);
    const accepted = await Promise.all(
      lineCounts.map(async (lines, i) => {
        const res = await api(`${host.url}/api/v1/orders`, {
          method: 'POST',
          headers,
          body: JSON.stringify(anOrder(`meter-${i}`, lines)),
        });
        expect(res.status).toBe(202);
        return (await res.json()) as { orderId: string; statusUrl: string };
      })
    );
    // The expected totals per month, from the orders as stored (a run may straddle midnight UTC).
    const created = await Promise.all(
      accepted.map((a) =>
        waitFor(
          async () => {
            const { status, body } = await getJson<{ createdAt: string; lines: unknown[] }>(a.statusUrl);
            return status === 200 ? body : undefined;
          },
          { what: `order ${a.orderId}`, timeoutMs: 30_000 }
        )
      )
    );
    const expected = new Map<string, MonthUsage>();
    for (const order of created) {
      const month = order.createdAt.slice(0, 7);
      const usage = expected.get(month) ?? { month, orderLines: 0, orders: 0 };
      usage.orderLines += order.lines.length;
      usage.orders += 1;
      expected.set(month, usage);
    }
    expect([...expected.values()].reduce((sum, u) => sum + u.orderLines, 0)).toBe(60);

    for (const usage of expected.values()) {
      const counted = await waitFor(
        async () => {
          const { body } = await getJson<MonthUsage>(`/api/v1/meter?month=${usage.month}`);
          return body.orders === usage.orders ? body : undefined;
        },
        { what: `the meter of ${usage.month}`, timeoutMs: 15_000 }
      );
      expect(counted).toEqual(usage);
    }

    // The same intake message delivered again (as after a lost acknowledgement) counts nothing.
    await putOnQueue('order-intake', { orderId: accepted[0]!.orderId, intakeKey: 'meter-0' });
    await drained('order-intake');
    for (const usage of expected.values()) {
      expect((await getJson<MonthUsage>(`/api/v1/meter?month=${usage.month}`)).body).toEqual(usage);
    }

    // Without a month: the last 12, this one first.
    const recent = await getJson<{ items: MonthUsage[] }>('/api/v1/meter');
    expect(recent.status).toBe(200);
    expect(recent.body.items).toHaveLength(12);
    expect(recent.body.items[0]!.month).toBe(new Date().toISOString().slice(0, 7));
    for (const item of recent.body.items) {
      expect(item).toEqual(expected.get(item.month) ?? { month: item.month, orderLines: 0, orders: 0 });
    }
  }, 90_000);

  it('answers 400 problem+json for a malformed month and zeros for a month without orders', async () => {
    const bad = await getJson<{ status: number; errors: { path: string }[] }>('/api/v1/meter?month=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json');
    expect(bad.body.errors.map((e) => e.path)).toEqual(['/month']);
    expect((await getJson<MonthUsage>('/api/v1/meter?month=1999-01')).body).toEqual({
      month: '1999-01',
      orderLines: 0,
      orders: 0,
    });
  });
});

describe('provider-inbound error list', () => {
  it('lists an intake message that can never succeed, with its reason and payload; resubmit queues it once', async () => {
    const orderId = `missing-${Date.now().toString(36)}`;
    const payload = { orderId, intakeKey: `k-${orderId}` };
    await putOnQueue('order-intake', payload);

    const entry = await waitFor(
      async () => {
        const { body } = await getJson<{ items: ErrorEntry[] }>(
          '/api/v1/errors?list=provider-inbound&status=open'
        );
        return body.items.find((e) => e.orderId === orderId);
      },
      { what: 'the failed intake on the error list', timeoutMs: 60_000, intervalMs: 500 }
    );
    expect(entry).toMatchObject({
      kind: 'provider-inbound',
      source: 'order-intake',
      status: 'open',
      attempts: 5,
      message: `No archived intake body for order ${orderId}: the order cannot be created without it.`,
    });
    expect(JSON.parse(entry.payload!)).toEqual(payload);
    // The poison message is gone once its entry is stored.
    await drained('order-intake-poison');
    const listed = await getJson<{ items: ErrorEntry[] }>('/api/v1/errors?list=provider-inbound');
    expect(listed.body.items.filter((e) => e.orderId === orderId)).toHaveLength(1);

    // Fix the cause (archive the body), then resubmit: the order gets created.
    const archive = blobs.getContainerClient('intake-archive');
    await archive.createIfNotExists();
    const body = JSON.stringify(anOrder(`resubmitted-${orderId}`, 2));
    await archive.getBlockBlobClient(`${orderId}.json`).upload(body, Buffer.byteLength(body));

    const route = `/api/v1/errors/${encodeURIComponent(entry.id)}/resubmit?list=provider-inbound`;
    const first = await api(`${host.url}${route}`, { method: 'POST', headers });
    expect(first.status).toBe(200);
    const resubmitted = (await first.json()) as ErrorEntry;
    expect(resubmitted).toMatchObject({
      id: entry.id,
      status: 'resubmitted',
      attempts: 6,
      resubmittedAt: expect.any(String),
      requeuedAt: expect.any(String),
    });
    const order = await waitFor(
      async () => {
        const { status, body: found } = await getJson<{ orderId: string; externalId: string }>(
          `/api/v1/orders/${orderId}`
        );
        return status === 200 ? found : undefined;
      },
      { what: 'the resubmitted order', timeoutMs: 20_000 }
    );
    expect(order.externalId).toBe(`resubmitted-${orderId}`);

    // Again, and concurrently: nothing more is queued, every answer is the same state.
    const again = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const res = await api(`${host.url}${route}`, { method: 'POST', headers });
        return { status: res.status, body: (await res.json()) as ErrorEntry };
      })
    );
    for (const answer of again) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        status: 'resubmitted',
        attempts: 6,
        resubmittedAt: resubmitted.resubmittedAt,
        requeuedAt: resubmitted.requeuedAt,
      });
    }
    const resubmittedList = await getJson<{ items: ErrorEntry[] }>(
      '/api/v1/errors?list=provider-inbound&status=resubmitted'
    );
    expect(resubmittedList.body.items.map((e) => e.id)).toContain(entry.id);
    const openList = await getJson<{ items: ErrorEntry[] }>(
      '/api/v1/errors?list=provider-inbound&status=open'
    );
    expect(openList.body.items.map((e) => e.id)).not.toContain(entry.id);
  }, 120_000);

  it('creates the good orders of a queued group and lists the one that cannot succeed on its own', async () => {
    const suffix = Date.now().toString(36);
    const good = [1, 2].map((n) => ({
      orderId: `group-${suffix}-${n}`,
      intakeKey: `k-group-${suffix}-${n}`,
      body: JSON.stringify(anOrder(`group-${suffix}-${n}`, n)),
    }));
    const missing = { orderId: `group-${suffix}-missing`, intakeKey: `k-group-${suffix}-missing` };
    await putOnQueue('order-intake', { intakes: [good[0], missing, good[1]] });

    for (const intake of good) {
      await waitFor(
        async () => ((await getJson(`/api/v1/orders/${intake.orderId}`)).status === 200 ? true : undefined),
        { what: `order ${intake.orderId}`, timeoutMs: 20_000 }
      );
    }
    const entry = await waitFor(
      async () => {
        const { body } = await getJson<{ items: ErrorEntry[] }>(
          '/api/v1/errors?list=provider-inbound&status=open'
        );
        return body.items.find((e) => e.orderId === missing.orderId);
      },
      { what: 'the failed intake of the group on the error list', timeoutMs: 60_000, intervalMs: 500 }
    );
    // It failed alone after its group: its own retries, its own entry, its own payload to resubmit.
    expect(entry).toMatchObject({ attempts: 5, source: 'order-intake' });
    expect(JSON.parse(entry.payload!)).toEqual(missing);
    const listed = await getJson<{ items: ErrorEntry[] }>('/api/v1/errors?list=provider-inbound');
    expect(listed.body.items.filter((e) => e.orderId?.startsWith(`group-${suffix}`))).toHaveLength(1);
  }, 120_000);

  it('keeps the reason when the archived body is not a valid order', async () => {
    const orderId = `invalid-${Date.now().toString(36)}`;
    const archive = blobs.getContainerClient('intake-archive');
    await archive.createIfNotExists();
    const body = JSON.stringify({ ...anOrder(`x-${orderId}`, 1), currency: 'XYZ' });
    await archive.getBlockBlobClient(`${orderId}.json`).upload(body, Buffer.byteLength(body));
    await putOnQueue('order-intake', { orderId, intakeKey: 'k' });
    const entry = await waitFor(
      async () => {
        const { body: page } = await getJson<{ items: ErrorEntry[] }>('/api/v1/errors?list=provider-inbound');
        return page.items.find((e) => e.orderId === orderId);
      },
      { what: 'the invalid intake on the error list', timeoutMs: 60_000, intervalMs: 500 }
    );
    expect(entry.message).toBe(`The archived intake body of order ${orderId} is not a valid order.`);
    expect(entry.detail).toContain('/currency');
  }, 90_000);

  it('answers 400 for an unknown list or status, 404 for an unknown id, 401 without the key', async () => {
    const unknownList = await getJson<{ status: number; errors: { path: string }[] }>(
      '/api/v1/errors?list=nope'
    );
    expect(unknownList.status).toBe(400);
    expect(unknownList.type).toBe('application/problem+json');
    expect(unknownList.body.errors.map((e) => e.path)).toEqual(['/list']);
    const unknownStatus = await getJson<{ errors: { path: string }[] }>(
      '/api/v1/errors?list=policy&status=closed'
    );
    expect(unknownStatus.status).toBe(400);
    expect(unknownStatus.body.errors.map((e) => e.path)).toEqual(['/status']);
    expect((await getJson<{ items: unknown[] }>('/api/v1/errors?list=policy')).body).toEqual({ items: [] });

    const missing = await api(`${host.url}/api/v1/errors/nope/resubmit?list=provider-inbound`, {
      method: 'POST',
      headers,
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    const badList = await api(`${host.url}/api/v1/errors/nope/resubmit?list=nope`, {
      method: 'POST',
      headers,
    });
    expect(badList.status).toBe(400);
    expect((await api(`${host.url}/api/v1/errors?list=policy`)).status).toBe(401);
  });
});
