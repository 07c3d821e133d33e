import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { fixtureApp, sharedStorage, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

const key = 'fixture-key';
let host: HostProcess;
let queues: QueueServiceClient;
let blobs: BlobServiceClient;

// Each host gets a data dir of its own; the app's local.settings.json names the shared storage.
const appDir = fixtureApp('app', {
  ...sharedStorage(),
  FUNCTIONS_HOST_KEY: key,
  FUNCTIONS_HOST_BLOB_POLL_MS: '200',
  FUNCTIONS_HOST_MAX_BODY_BYTES: '65536',
});

function startFixtureHost(): Promise<HostProcess> {
  return startHostProcess(appDir, {
    FUNCTIONS_HOST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'host-fixture-data-')),
  });
}

async function drain(queueName: string): Promise<unknown[]> {
  const queue = queues.getQueueClient(queueName);
  await queue.createIfNotExists();
  const items: unknown[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    if (receivedMessageItems.length === 0) return items;
    for (const m of receivedMessageItems) {
      items.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
      await queue.deleteMessage(m.messageId, m.popReceipt);
    }
  }
}

beforeAll(async () => {
  const env = sharedStorage();
  queues = QueueServiceClient.fromConnectionString(env.AzureWebJobsStorage);
  blobs = BlobServiceClient.fromConnectionString(env.AzureWebJobsStorage);
  host = await startFixtureHost();
});

afterAll(async () => {
  await host?.stop();
});

describe('HTTP triggers', () => {
  it('fills route parameters, optional ones included', async () => {
    expect(await (await fetch(`${host.url}/api/hello/ada`)).json()).toEqual({ greeting: 'Hello, ada' });
    expect(await (await fetch(`${host.url}/api/hello`)).json()).toEqual({ greeting: 'Hello, world' });
    const item = await fetch(`${host.url}/api/items/42/notes`, { headers: { 'x-functions-key': key } });
    expect(await item.json()).toEqual({ id: '42', part: 'notes', method: 'GET' });
    const files = await fetch(`${host.url}/api/files/a/b/c.txt?code=${key}`);
    expect(await files.json()).toEqual({ path: 'a/b/c.txt' });
  });

  it('applies route constraints: a non-integer id matches nothing', async () => {
    const res = await fetch(`${host.url}/api/items/abc`, { headers: { 'x-functions-key': key } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('requires the key for function and admin levels, by header or code', async () => {
    expect((await fetch(`${host.url}/api/items/1`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/items/1`, { headers: { 'x-functions-key': 'wrong' } })).status).toBe(
      401
    );
    expect((await fetch(`${host.url}/api/items/1?code=${key}`)).status).toBe(200);
    const denied = await fetch(`${host.url}/api/admin/ping`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    const admin = await fetch(`${host.url}/api/admin/ping`, { headers: { 'x-functions-key': key } });
    expect(await admin.text()).toBe('pong');
  });

  it('answers unknown routes 404 and wrong methods 405 with problem+json', async () => {
    const missing = await fetch(`${host.url}/api/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, type: expect.stringContaining('not-found') });
    const wrong = await fetch(`${host.url}/api/hello/x`, { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
  });

  it('rejects bad bodies with problem+json and keeps serving /api/health', async () => {
    const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
    const ok = await fetch(`${host.url}/api/echo?tag=t1`, { method: 'POST', headers, body: '{"a":1}' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ received: { a: 1 }, query: 't1' });

    const malformed = await fetch(`${host.url}/api/echo`, { method: 'POST', headers, body: '{"a":' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    expect(await malformed.json()).toMatchObject({ title: 'Malformed JSON', errors: [{ path: '' }] });

    const wrongType = await fetch(`${host.url}/api/echo`, {
      method: 'POST',
      headers: { 'x-functions-key': key, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(wrongType.status).toBe(415);

    const oversize = await fetch(`${host.url}/api/echo`, {
      method: 'POST',
      headers,
      body: 'x'.repeat(70_000),
    });
    expect(oversize.status).toBe(413);
    expect(await oversize.json()).toMatchObject({ status: 413 });

    const crash = await fetch(`${host.url}/api/crash`);
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toContain('do-not-leak');

    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

describe('queue triggers', () => {
  it('runs a base64 message once and writes the output binding', async () => {
    const work = queues.getQueueClient('fixture-work');
    await work.createIfNotExists();
    await work.sendMessage(Buffer.from(JSON.stringify({ id: 'ok-1' })).toString('base64'));
    const done = await waitFor(
      async () => {
        const items = await drain('fixture-done');
        return items.length > 0 ? items : undefined;
      },
      { what: 'fixture-done message', timeoutMs: 20_000 }
    );
    expect(done).toEqual([{ id: 'ok-1', attempt: 1 }]);
  });

  it('moves a message that fails five times to the poison queue with its body intact', async () => {
    const work = queues.getQueueClient('fixture-work');
    const text = Buffer.from(JSON.stringify({ id: 'bad-1', fail: true, note: 'ünïcode ✓' })).toString(
      'base64'
    );
    await work.sendMessage(text);
    const poison = queues.getQueueClient('fixture-work-poison');
    const poisoned = await waitFor(
      async () => {
        if (!(await poison.exists())) return undefined;
        const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
        return peekedMessageItems.find((m) => m.messageText === text);
      },
      { what: 'the poison message', timeoutMs: 30_000 }
    );
    expect(Buffer.from(poisoned.messageText, 'base64').toString('utf8')).toContain('ünïcode ✓');

    const attempts: string[] = [];
    for await (const blob of blobs
      .getContainerClient('fixture-attempts')
      .listBlobsFlat({ prefix: 'work/bad-1/' })) {
      attempts.push(blob.name);
    }
    expect(attempts.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `work/bad-1/${n}`));
    const { peekedMessageItems } = await work.peekMessages({ numberOfMessages: 32 });
    expect(peekedMessageItems).toHaveLength(0);
  });
});

describe('timer triggers', () => {
  it('fires on its six-field schedule', async () => {
    await drain('fixture-ticks');
    const ticks = await waitFor(
      async () => {
        const items = await queues.getQueueClient('fixture-ticks').peekMessages({ numberOfMessages: 32 });
        return items.peekedMessageItems.length >= 2 ? items.peekedMessageItems : undefined;
      },
      { what: 'two timer ticks', timeoutMs: 10_000 }
    );
    expect(ticks.length).toBeGreaterThanOrEqual(2);
  });

  it('runs each occurrence on one host when several share the storage account', async () => {
    const other = await startFixtureHost();
    try {
      await drain('fixture-ticks');
      await new Promise((resolve) => setTimeout(resolve, 7000));
      const ticks = (await drain('fixture-ticks')) as { at: string }[];
      // The schedule is every two seconds: a tick per occurrence, whichever host ran it.
      const occurrences = ticks.map((t) => Math.floor(Date.parse(t.at) / 2000));
      expect(occurrences.length).toBeGreaterThanOrEqual(3);
      expect(new Set(occurrences).size).toBe(occurrences.length);
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });
});

describe('blob triggers', () => {
  it('fire once per blob and not again after a restart', async () => {
    const drop = blobs.getContainerClient('fixture-drop');
    await drop.createIfNotExists();
    await drop.getBlockBlobClient('first.txt').upload('12345', 5);
    const fired: { name: string; size: number }[] = [];
    await waitFor(
      async () => {
        fired.push(...((await drain('fixture-blob-fired')) as typeof fired));
        return fired.some((f) => f.name === 'first.txt');
      },
      { what: 'the blob trigger for first.txt', timeoutMs: 20_000 }
    );
    expect(fired).toEqual([{ name: 'first.txt', size: 5 }]);

    expect(await host.stop()).toBe(0);
    host = await startFixtureHost();
    await drop.getBlockBlobClient('second.txt').upload('12', 2);
    await waitFor(
      async () => {
        fired.push(...((await drain('fixture-blob-fired')) as typeof fired));
        return fired.some((f) => f.name === 'second.txt');
      },
      { what: 'the blob trigger for second.txt', timeoutMs: 20_000 }
    );
    // One more scan round after second.txt fired: first.txt must still not have fired again.
    await new Promise((resolve) => setTimeout(resolve, 600));
    fired.push(...((await drain('fixture-blob-fired')) as typeof fired));
    expect(fired.filter((f) => f.name === 'first.txt')).toHaveLength(1);
    expect(fired.filter((f) => f.name === 'second.txt')).toEqual([{ name: 'second.txt', size: 2 }]);
  });

  it('fire once per blob when several hosts share the storage account', async () => {
    const other = await startFixtureHost();
    try {
      const drop = blobs.getContainerClient('fixture-drop');
      const names = ['slow-1.txt', 'slow-2.txt', 'slow-3.txt'];
      for (const name of names) await drop.getBlockBlobClient(name).upload('abc', 3);
      const fired: { name: string; size: number }[] = [];
      await waitFor(
        async () => {
          fired.push(...((await drain('fixture-blob-fired')) as typeof fired));
          return names.every((name) => fired.some((f) => f.name === name));
        },
        { what: 'the blob trigger for the slow blobs', timeoutMs: 30_000 }
      );
      // Both hosts poll every 200 ms and each run takes a second: a second firing would be here by now.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      fired.push(...((await drain('fixture-blob-fired')) as typeof fired));
      expect(fired.map((f) => f.name).sort()).toEqual(names);
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });
});
