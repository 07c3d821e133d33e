import { mkdtempSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { fixtureApp, sharedStorage, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';
import type { DurableStoreKind } from './durable-fixture.suite';

/** The suite, run once per task hub store (one test file each). */
export function durableEntitiesSuite(store: DurableStoreKind): void {
  // Entities, HTTP calls and the management operations (purge by filter, restart, rewind) of the
  // Durable HTTP API, on the fixture app; ids carry the run so that runs sharing Azurite stay apart.
  const key = 'entities-key';
  const run = Date.now().toString(36);
  let host: HostProcess;

  interface Status {
    runtimeStatus: string;
    output: unknown;
    input: unknown;
    customStatus: unknown;
    createdTime: string;
  }

  const appDir = fixtureApp(
    'durable-app',
    {
      ...sharedStorage(),
      FUNCTIONS_HOST_DURABLE_STORE: store,
      FUNCTIONS_HOST_KEY: key,
      FUNCTIONS_HOST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'host-entities-')),
    },
    (json) => {
      (json.extensions as { durableTask: Record<string, unknown> }).durableTask.hubName = 'entitieshub';
      return json;
    }
  );

  beforeAll(async () => {
    host = await startHostProcess(appDir);
  });

  afterAll(async () => {
    await host?.stop();
  });

  const api = (route: string, query = '') =>
    `${host.url}/runtime/webhooks/durabletask/${route}?code=${key}${query}`;

  async function start(name: string, input?: unknown, instanceId?: string): Promise<string> {
    const res = await fetch(`${host.url}/api/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, {
      method: 'POST',
      body: input === undefined ? '' : JSON.stringify(input),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function statusOf(instanceId: string): Promise<Status | undefined> {
    const res = await fetch(api(`instances/${encodeURIComponent(instanceId)}`));
    return res.status === 404 ? undefined : ((await res.json()) as Status);
  }

  async function finished(instanceId: string, timeoutMs = 30_000): Promise<Status> {
    return waitFor(
      async () => {
        const status = await statusOf(instanceId);
        return status && ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)
          ? status
          : undefined;
      },
      { what: `instance ${instanceId} to finish`, timeoutMs, intervalMs: 100 }
    );
  }

  async function signal(entityKey: string, op: string, input?: unknown): Promise<void> {
    const res = await fetch(api(`entities/tally/${entityKey}`, `&op=${op}`), {
      method: 'POST',
      body: input === undefined ? '' : JSON.stringify(input),
    });
    expect(res.status).toBe(202);
  }

  async function stateOf(entityKey: string): Promise<{ status: number; state?: unknown }> {
    const res = await fetch(api(`entities/tally/${entityKey}`));
    return res.status === 200 ? { status: 200, state: await res.json() } : { status: res.status };
  }

  const stateBecomes = (entityKey: string, expected: unknown, timeoutMs = 20_000) =>
    waitFor(async () => (await stateOf(entityKey)).state === expected, {
      what: `counter ${entityKey} to hold ${JSON.stringify(expected)}`,
      timeoutMs,
    });

  it('runs a counter entity signalled over the HTTP API, in order, and reads its state back', async () => {
    const counter = `http-${run}`;
    expect(await stateOf(counter)).toEqual({ status: 404 });
    for (let i = 1; i <= 10; i++) await signal(counter, 'add', i);
    await stateBecomes(counter, 55);
    await signal(counter, 'reset');
    await signal(counter, 'add', 2);
    await stateBecomes(counter, 2);

    const listed = (await (await fetch(api('entities/tally', '&fetchState=true&top=1000'))).json()) as {
      entityId: { name: string; key: string };
      state: unknown;
    }[];
    expect(listed.find((e) => e.entityId.key === counter)).toMatchObject({
      entityId: { name: 'tally', key: counter },
      state: 2,
    });
    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = await fetch(api('entities/tally', `&lastOperationTimeFrom=${future}`));
    expect(await none.json()).toEqual([]);

    await signal(counter, 'delete');
    await waitFor(async () => (await stateOf(counter)).status === 404, { what: 'the counter to go' });
  });

  it('signals and reads entities through df.getClient', async () => {
    const counter = `client-${run}`;
    const read = async () =>
      (await (await fetch(`${host.url}/api/entity/tally/${counter}`)).json()) as {
        entityExists: boolean;
        entityState?: unknown;
      };
    expect(await read()).toEqual({ entityExists: false });
    const res = await fetch(`${host.url}/api/entity/tally/${counter}?op=add`, {
      method: 'POST',
      body: '7',
    });
    expect(res.status).toBe(202);
    await waitFor(async () => (await read()).entityState === 7, { what: 'the signal to apply' });
    expect(await read()).toEqual({ entityExists: true, entityState: 7 });
  });

  it('lets an orchestration call an entity for its value and signal another', async () => {
    const counter = `orch-${run}`;
    await signal(counter, 'add', 4);
    await stateBecomes(counter, 4);
    const status = await finished(await start('entityCaller', counter));
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 7 });
    await stateBecomes(`${counter}-copy`, 7);

    // One entity signalling another.
    await signal(counter, 'addTo', `${counter}-copy`);
    await stateBecomes(`${counter}-copy`, 14);
  });

  it('fails the calling task with the message of an operation that throws', async () => {
    const status = await finished(await start('entityFailure', `failing-${run}`));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain(`counter failing-${run} refuses`);
  });

  it("runs a critical section: locked counters hold others' operations back until it ends", async () => {
    const [from, to] = [`lock-from-${run}`, `lock-to-${run}`];
    await signal(from, 'add', 10);
    await signal(to, 'add', 1);
    await stateBecomes(from, 10);
    await stateBecomes(to, 1);
    const id = await start('entityTransfer', { from, to });
    await waitFor(async () => (await statusOf(id))?.customStatus === 'locked', { what: 'the locks' });
    await signal(from, 'add', 5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await stateOf(from)).state).toBe(10);

    const go = await fetch(api(`instances/${id}/raiseEvent/go`), { method: 'POST', body: '{}' });
    expect(go.status).toBe(202);
    const status = await finished(id);
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: { moved: 10, sourceAfterRelease: 5 },
    });
    expect((await stateOf(to)).state).toBe(11);
  });

  it('purges the instances a filter matches, and only those', async () => {
    // Instances of the tests before are over, and created before `from`.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const from = new Date().toISOString();
    const done = [await start('sequence5'), await start('sequence5')];
    const failed = await start('failing');
    await Promise.all([...done, failed].map((id) => finished(id)));
    const to = new Date(Date.now() + 1000).toISOString();

    const res = await fetch(
      api('instances', `&createdTimeFrom=${from}&createdTimeTo=${to}&runtimeStatus=Failed`),
      {
        method: 'DELETE',
      }
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ instancesDeleted: 1 });
    expect(await statusOf(failed)).toBeUndefined();
    for (const id of done) expect(await statusOf(id)).toBeDefined();

    const purge = (statuses: string[]) =>
      fetch(`${host.url}/api/purge`, { method: 'POST', body: JSON.stringify({ from, to, statuses }) });
    expect(await (await purge(['Completed'])).json()).toEqual({ instancesDeleted: 2 });
    for (const id of done) expect(await statusOf(id)).toBeUndefined();
    expect(await (await purge(['Completed'])).json()).toEqual({ instancesDeleted: 0 });
  });

  it('restarts an instance with its input, under the same id and under a new one', async () => {
    const id = `restart-${run}`;
    await finished(await start('echoInput', 'again', id));
    const first = (await statusOf(id))!;

    const same = await fetch(api(`instances/${id}/restart`, '&restartWithNewInstanceId=false'), {
      method: 'POST',
    });
    expect(same.status).toBe(202);
    expect(((await same.json()) as { id: string }).id).toBe(id);
    const restarted = await waitFor(
      async () => {
        const status = await statusOf(id);
        return status?.runtimeStatus === 'Completed' && status.createdTime !== first.createdTime
          ? status
          : undefined;
      },
      { what: 'the restarted execution to complete' }
    );
    expect(restarted).toMatchObject({ input: 'again', output: { input: 'again', type: 'string' } });

    const renamed = await fetch(api(`instances/${id}/restart`), { method: 'POST' });
    expect(renamed.status).toBe(202);
    const newId = ((await renamed.json()) as { id: string }).id;
    expect(newId).not.toBe(id);
    expect(await finished(newId)).toMatchObject({ runtimeStatus: 'Completed', input: 'again' });
  });

  it('rewinds a failed instance: the failed activity runs again, the rest replays', async () => {
    const id = `rewind-${run}`;
    const failed = await finished(await start('rewindable', id, id));
    expect(failed).toMatchObject({ runtimeStatus: 'Failed' });
    expect(String(failed.output)).toContain('flaky failure 1');

    const rewound = await fetch(api(`instances/${id}/rewind`, '&reason=fixed'), { method: 'POST' });
    expect(rewound.status).toBe(202);
    expect(await finished(id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: [`Hello ${id}`, 'succeeded on attempt 2'],
    });

    const again = await fetch(api(`instances/${id}/rewind`), { method: 'POST' });
    expect(again.status).toBe(412);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    // A parent whose child failed: the child starts over under its id and completes, so does the parent.
    const parent = `rewind-parent-${run}`;
    expect(await finished(await start('rewindableParent', parent, parent))).toMatchObject({
      runtimeStatus: 'Failed',
    });
    expect((await fetch(api(`instances/${parent}/rewind`), { method: 'POST' })).status).toBe(202);
    expect(await finished(parent)).toMatchObject({
      runtimeStatus: 'Completed',
      output: [`Hello ${parent}`, 'succeeded on attempt 2'],
    });
    expect(await statusOf(`${parent}-child`)).toMatchObject({ runtimeStatus: 'Completed' });

    // An orchestrator that fails by itself replays again on a rewind, and fails again.
    const failing = await start('failing');
    await finished(failing);
    expect((await fetch(api(`instances/${failing}/rewind`), { method: 'POST' })).status).toBe(202);
    // The rewind answers once the instance is Running again, so this waits for a second failure.
    expect(await finished(failing)).toMatchObject({
      runtimeStatus: 'Failed',
      output: 'the orchestration fails on purpose',
    });
    const history = (await (await fetch(api(`instances/${failing}`, '&showHistory=true'))).json()) as {
      historyEvents: { EventType: string }[];
    };
    const types = history.historyEvents.map((e) => e.EventType);
    expect(types.filter((t) => t === 'GenericEvent')).toHaveLength(1);
    expect(types.filter((t) => t === 'ExecutionCompleted')).toHaveLength(1);

    // Through df.getClient, whose error carries the host's message.
    const viaClient = await fetch(`${host.url}/api/rewind/${id}`, { method: 'POST' });
    expect(((await viaClient.json()) as { message: string }).message).toMatch(
      /only supported on failed orchestration instances/
    );
  });

  describe('callHttp', () => {
    let server: http.Server;
    let base: string;
    const polls = new Map<string, number>();

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://local');
        if (url.pathname === '/plain') {
          let body = '';
          req.on('data', (chunk: Buffer) => (body += chunk.toString()));
          req.on('end', () => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ method: req.method, header: req.headers['x-fixture'], body }));
          });
          return;
        }
        if (url.pathname === '/start') {
          res.writeHead(202, { location: `/status/${url.searchParams.get('job')}`, 'retry-after': '1' });
          res.end();
          return;
        }
        if (url.pathname.startsWith('/status/')) {
          const n = (polls.get(url.pathname) ?? 0) + 1;
          polls.set(url.pathname, n);
          if (n < 3) {
            res.writeHead(202, { location: url.pathname, 'retry-after': '0' });
            res.end();
          } else {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end(`done after ${n} polls`);
          }
          return;
        }
        res.writeHead(404);
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('makes a plain call and hands the response to the orchestration', async () => {
      const status = await finished(
        await start('httpCaller', { url: `${base}/plain`, method: 'POST', body: 'hi' })
      );
      expect(status.runtimeStatus).toBe('Completed');
      const output = status.output as { statusCode: number; content: string };
      expect(output.statusCode).toBe(200);
      expect(JSON.parse(output.content)).toEqual({ method: 'POST', header: 'yes', body: 'hi' });
    });

    it('polls a 202 with a Location until the answer is not 202', async () => {
      const job = `job-${run}`;
      const status = await finished(
        await start('httpCaller', { url: `${base}/start?job=${job}`, poll: true })
      );
      expect(status).toMatchObject({
        runtimeStatus: 'Completed',
        output: { statusCode: 200, content: 'done after 3 polls' },
      });
    });

    it('without the asynchronous pattern, hands back the 202 itself', async () => {
      const status = await finished(await start('httpCaller', { url: `${base}/start?job=x`, poll: false }));
      expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { statusCode: 202 } });
    });
  });

  it('keeps entity state and queued operations across a kill -9', async () => {
    const counter = `crash-${run}`;
    await Promise.all(Array.from({ length: 50 }, () => signal(counter, 'slowAdd', 1)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await stateOf(counter);
    await host.kill9();
    // Operations were still queued or in a batch not yet stored when the host died.
    expect(before.state ?? 0).toBeLessThan(50);
    host = await startHostProcess(appDir);
    await stateBecomes(counter, 50, 60_000);
    await signal(counter, 'add', 1);
    await stateBecomes(counter, 51);
  }, 120_000);
}
