import { BlobServiceClient } from '@azure/storage-blob';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { fixtureApp, sharedStorage, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';
import type { DurableStoreKind } from './durable-fixture.suite';

/** The suite, run once per task hub store (one test file each). */
export function durableSuspendSuite(store: DurableStoreKind): void {
  // Suspend and resume of orchestration instances, through the Durable HTTP API and through
  // df.getClient, on the `suspendable` orchestration of the durable fixture app: it waits for an
  // external event and a gated activity together, then calls one more activity.
  const key = 'suspend-key';
  const hubName = 'suspendhub';
  let host: HostProcess;
  // Instance ids of this run: the gate blobs of earlier runs stay in the shared storage.
  const run = Date.now().toString(36);

  interface Status {
    runtimeStatus: string;
    output: unknown;
    customStatus: unknown;
    historyEvents?: { EventType: string; Reason?: string }[];
  }

  const appDir = fixtureApp(
    'durable-app',
    {
      ...sharedStorage(),
      FUNCTIONS_HOST_DURABLE_STORE: store,
      FUNCTIONS_HOST_KEY: key,
      FUNCTIONS_HOST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'host-suspend-')),
    },
    (json) => {
      const extensions = json.extensions as { durableTask: Record<string, unknown> };
      extensions.durableTask.hubName = hubName;
      return json;
    }
  );
  const gates = BlobServiceClient.fromConnectionString(
    sharedStorage().AzureWebJobsStorage
  ).getContainerClient('fixture-gates');

  beforeAll(async () => {
    await gates.createIfNotExists();
    host = await startHostProcess(appDir);
  });

  afterAll(async () => {
    await host?.stop();
  });

  /** Management URLs of an instance on the current host (they change with its port). */
  function api(instanceId: string, operation = '', query = ''): string {
    return `${host.url}/runtime/webhooks/durabletask/instances/${instanceId}${operation}?code=${key}${query}`;
  }

  async function start(name: string, instanceId: string): Promise<Record<string, string>> {
    const res = await fetch(`${host.url}/api/orchestrators/${name}/${instanceId}`, {
      method: 'POST',
      body: '',
    });
    expect(res.status).toBe(202);
    return (await res.json()) as Record<string, string>;
  }

  async function statusOf(instanceId: string): Promise<Status> {
    const res = await fetch(`${api(instanceId)}&showHistory=true`);
    return (await res.json()) as Status;
  }

  async function post(url: string, body = ''): Promise<number> {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return res.status;
  }

  async function waitForStatus(
    instanceId: string,
    ok: (s: Status) => boolean,
    what: string
  ): Promise<Status> {
    return waitFor(
      async () => {
        const status = await statusOf(instanceId);
        return ok(status) ? status : undefined;
      },
      { what: `${instanceId}: ${what}`, timeoutMs: 30_000 }
    );
  }

  function finished(instanceId: string): Promise<Status> {
    return waitForStatus(
      instanceId,
      (s) => ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus),
      'finished'
    );
  }

  /** How often the fixture's gated activity `what` of an instance has run. */
  async function runsOf(instanceId: string, what = 'hello'): Promise<number> {
    let runs = 0;
    for await (const _ of gates.listBlobsFlat({ prefix: `${instanceId}/${what}/ran/` })) runs++;
    return runs;
  }

  /** Opens the activity's gate and waits until it has run (its result is then on its way to the instance). */
  async function letTheActivityRun(instanceId: string): Promise<void> {
    await gates.getBlockBlobClient(`${instanceId}/open`).upload('', 0);
    await waitFor(async () => (await runsOf(instanceId)) > 0, { what: `${instanceId}: the activity to run` });
  }

  function types(status: Status): string[] {
    return (status.historyEvents ?? []).map((e) => e.EventType);
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Started, waiting for its event and activity, then suspended; the event raised and the activity run. */
  async function suspendedWithEverythingHeld(instanceId: string, suspend: () => Promise<number>) {
    await start('suspendable', instanceId);
    await waitForStatus(instanceId, (s) => s.customStatus === 'waiting', 'waiting');
    expect(await suspend()).toBe(202);
    await waitForStatus(instanceId, (s) => s.runtimeStatus === 'Suspended', 'suspended');
    expect(await post(api(instanceId, '/raiseEvent/Approval'), JSON.stringify('ada'))).toBe(202);
    await letTheActivityRun(instanceId);
    // Time enough for the event and the result to reach the instance, were they to be taken.
    await sleep(1000);
    const held = await statusOf(instanceId);
    expect(held).toMatchObject({ runtimeStatus: 'Suspended', customStatus: 'waiting' });
    expect(types(held)).not.toContain('EventRaised');
    expect(types(held)).not.toContain('TaskCompleted');
    return held;
  }

  function expectCompleted(status: Status, instanceId: string) {
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: { approvedBy: 'ada', greeting: `Hello ${instanceId}`, after: 'Hello after' },
    });
  }

  it('suspends and resumes through the HTTP API: the event and the activity result are taken after the resume', async () => {
    const id = `suspend-http-${run}`;
    const held = await suspendedWithEverythingHeld(id, () =>
      post(api(id, '/suspend', '&reason=maintenance'))
    );
    expect(held.historyEvents!.filter((e) => e.EventType === 'ExecutionSuspended')).toEqual([
      expect.objectContaining({ Reason: 'maintenance' }),
    ]);
    // Suspending a suspended instance changes nothing.
    expect(await post(api(id, '/suspend', '&reason=again'))).toBe(202);
    await sleep(500);
    expect(types(await statusOf(id)).filter((t) => t === 'ExecutionSuspended')).toHaveLength(1);

    expect(await post(api(id, '/resume', '&reason=done'))).toBe(202);
    const status = await finished(id);
    expectCompleted(status, id);
    const history = types(status);
    expect(history.filter((t) => t === 'ExecutionResumed')).toHaveLength(1);
    const resumedAt = history.indexOf('ExecutionResumed');
    expect(history.indexOf('ExecutionSuspended')).toBeLessThan(resumedAt);
    expect(history.indexOf('EventRaised')).toBeGreaterThan(resumedAt);
    expect(history.indexOf('TaskCompleted')).toBeGreaterThan(resumedAt);
    expect(await runsOf(id)).toBe(1);

    // Over: suspend and resume answer 410 Gone; an unknown instance is 404.
    expect(await post(api(id, '/suspend'))).toBe(410);
    expect(await post(api(id, '/resume'))).toBe(410);
    expect(await post(api('no-such-instance', '/suspend'))).toBe(404);
    expect(await post(api('no-such-instance', '/resume'))).toBe(404);
  });

  it('suspends and resumes through df.getClient; getStatus reports Suspended', async () => {
    const id = `suspend-client-${run}`;
    const viaClient = (operation: string, instanceId = id) =>
      fetch(`${host.url}/api/suspension/${operation}/${instanceId}?reason=by-client`, { method: 'POST' });
    await suspendedWithEverythingHeld(id, async () => (await viaClient('suspend')).status);
    const clientStatus = (await (await fetch(`${host.url}/api/status/${id}`)).json()) as Status;
    expect(clientStatus.runtimeStatus).toBe('Suspended');

    // Resuming a running instance changes nothing: resumed twice, it completes once.
    expect((await viaClient('resume')).status).toBe(202);
    expect((await viaClient('resume')).status).toBe(202);
    const status = await finished(id);
    expectCompleted(status, id);
    expect(types(status).filter((t) => t === 'ExecutionResumed')).toHaveLength(1);

    const unknown = await viaClient('suspend', 'no-such-instance');
    expect(unknown.status).toBe(500);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/No instance with ID/);
  });

  it('holds two failed attempts of calls with retry while suspended; resumed, both retry and succeed', async () => {
    const id = `suspend-retries-${run}`;
    await start('suspendableRetries', id);
    await waitForStatus(id, (s) => s.customStatus === 'waiting', 'waiting');
    expect(await post(api(id, '/suspend'))).toBe(202);
    await waitForStatus(id, (s) => s.runtimeStatus === 'Suspended', 'suspended');
    await gates.getBlockBlobClient(`${id}/open`).upload('', 0);
    await waitFor(async () => (await runsOf(id, 'a')) === 1 && (await runsOf(id, 'b')) === 1, {
      what: 'both first attempts',
    });
    await sleep(1000);
    const held = await statusOf(id);
    expect(held.runtimeStatus).toBe('Suspended');
    expect(types(held)).not.toContain('TaskFailed');

    expect(await post(api(id, '/resume'))).toBe(202);
    const status = await finished(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: ['a succeeded', 'b succeeded'] });
    expect(types(status).filter((t) => t === 'TaskFailed')).toHaveLength(2);
    expect([await runsOf(id, 'a'), await runsOf(id, 'b')]).toEqual([2, 2]);
  });

  it('terminates a suspended instance', async () => {
    const id = `suspend-terminate-${run}`;
    await start('suspendable', id);
    await waitForStatus(id, (s) => s.customStatus === 'waiting', 'waiting');
    expect(await post(api(id, '/suspend'))).toBe(202);
    await waitForStatus(id, (s) => s.runtimeStatus === 'Suspended', 'suspended');
    expect(await post(api(id, '/terminate', '&reason=enough'))).toBe(202);
    const status = await finished(id);
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
    await gates.getBlockBlobClient(`${id}/open`).upload('', 0);
  });

  it('stays suspended across a kill -9 and a restart, with what it held; resumed, it completes', async () => {
    const id = `suspend-restart-${run}`;
    await suspendedWithEverythingHeld(id, () => post(api(id, '/suspend', '&reason=restart')));
    await host.kill9();
    host = await startHostProcess(appDir);
    await sleep(1500);
    expect(await statusOf(id)).toMatchObject({ runtimeStatus: 'Suspended', customStatus: 'waiting' });

    expect(await post(api(id, '/resume'))).toBe(202);
    expectCompleted(await finished(id), id);
    // The held result was stored with the instance: the activity did not run again.
    expect(await runsOf(id)).toBe(1);
  }, 90_000);
}
