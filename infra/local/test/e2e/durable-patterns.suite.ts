import { BlobServiceClient } from '@azure/storage-blob';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { fixtureApp, sharedStorage, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';
import type { DurableStoreKind } from './durable-fixture.suite';

/** The suite, run once per task hub store (one test file each). */
export function durablePatternsSuite(store: DurableStoreKind): void {
  // The patterns of the official Durable Functions samples (samples-ts, samples-js), on an app laid out
  // as `func init` lays one out: glob `main`, its own local.settings.json, nothing of ours around it.
  const hubName = 'patternshub';
  let host: HostProcess;

  interface Status {
    runtimeStatus: string;
    output: unknown;
    customStatus: unknown;
  }

  beforeAll(async () => {
    const appDir = fixtureApp(
      'durable-app',
      {
        ...sharedStorage(),
        FUNCTIONS_HOST_DURABLE_STORE: store,
        FUNCTIONS_HOST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'host-patterns-')),
      },
      (json) => {
        const extensions = json.extensions as { durableTask: Record<string, unknown> };
        extensions.durableTask.hubName = hubName;
        return json;
      }
    );
    host = await startHostProcess(appDir);
  });

  afterAll(async () => {
    await host?.stop();
  });

  async function start(name: string, input?: unknown): Promise<Record<string, string>> {
    const res = await fetch(`${host.url}/api/orchestrators/${name}`, {
      method: 'POST',
      body: input === undefined ? '' : JSON.stringify(input),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as Record<string, string>;
  }

  async function finished(links: Record<string, string>, timeoutMs = 20_000): Promise<Status> {
    return waitFor(
      async () => {
        const status = (await (await fetch(links.statusQueryGetUri!)).json()) as Status;
        return ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus) ? status : undefined;
      },
      { timeoutMs, what: `${links.id} to finish` }
    );
  }

  it('is the generic host: no Cosmos server for an app that does not name one, a ready line of its own', () => {
    expect(host.stdout).toMatch(/^functions host ready on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(host.stdout).not.toMatch(/openiom/i);
    expect(host.stdout).not.toMatch(/^cosmos:/m);
    expect(host.stdout).toMatch(/^functions: .*backupFiles/m);
  });

  it('passes string inputs to sub-orchestrations as strings', async () => {
    const status = await finished(await start('stringChildren'));
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: [
        { input: 'x', type: 'string' },
        { input: '42', type: 'string' },
      ],
    });
  });

  it('fans out to activities whose output blob path comes from their input', async () => {
    const files = ['a.txt', 'b.txt', 'c.txt'].map((name, i) => ({
      backupPath: `run-${Date.now()}/${name}`,
      content: 'x'.repeat(i + 1),
    }));
    const status = await finished(await start('backupFiles', files));
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 6 });
    const container = BlobServiceClient.fromConnectionString(
      sharedStorage().AzureWebJobsStorage
    ).getContainerClient('fixture-backups');
    for (const file of files) {
      const text = (await container.getBlockBlobClient(file.backupPath).downloadToBuffer()).toString();
      expect(text).toBe(file.content);
    }
  });

  it('runs a monitor: a timer loop with custom status', async () => {
    const status = await finished(await start('monitor', { pollMs: 300, doneAfter: 3 }));
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: { checks: 3 },
      customStatus: { checks: 3 },
    });
  });

  it('answers the sync starter with the output, or with 202 and the links when it takes longer', async () => {
    const quick = await fetch(`${host.url}/api/orchestrators-wait/sequence5`, { method: 'POST', body: '' });
    expect(quick.status).toBe(200);
    expect(await quick.json()).toEqual([
      'Hello Tokyo',
      'Hello Seattle',
      'Hello London',
      'Hello Cairo',
      'Hello Lima',
    ]);

    const slow = await fetch(`${host.url}/api/orchestrators-wait/timer?timeoutMs=300`, {
      method: 'POST',
      body: '3000',
    });
    expect(slow.status).toBe(202);
    const links = (await slow.json()) as Record<string, string>;
    expect(links.statusQueryGetUri).toContain('/runtime/webhooks/durabletask/instances/');
    expect(await finished(links)).toMatchObject({ runtimeStatus: 'Completed' });
  });

  it('runs human interaction (an event raced with a timer), retries and continue-as-new', async () => {
    const approval = await start('approval', 60_000);
    await waitFor(
      async () =>
        ((await (await fetch(approval.statusQueryGetUri!)).json()) as Status).customStatus ===
        'waiting for approval',
      { what: 'waiting for approval' }
    );
    const raised = await fetch(approval.sendEventPostUri!.replace('{eventName}', 'Approval'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify('ada'),
    });
    expect(raised.status).toBe(202);
    expect(await finished(approval)).toMatchObject({ output: 'approved by ada' });
    expect(await finished(await start('approval', 200))).toMatchObject({ output: 'timed out' });

    const retried = await finished(
      await start('retrying', { key: `k-${Date.now()}`, failTimes: 2, attempts: 3 })
    );
    expect(retried).toMatchObject({ runtimeStatus: 'Completed', output: 'succeeded on attempt 3' });

    expect(await finished(await start('counter', 7))).toMatchObject({
      runtimeStatus: 'Completed',
      output: 10,
    });
  });

  it('refuses to rewind an instance that did not fail, with a message the client shows', async () => {
    const links = await start('sequence5');
    await finished(links);
    const res = await fetch(`${host.url}/api/rewind/${links.id}`, { method: 'POST' });
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/only supported on failed orchestration instances; '.+' is Completed/);
    expect(body.message).not.toContain('[object Object]');
  });

  it('refuses to start an app with an output binding it does not provide, naming function and binding', async () => {
    const appDir = fixtureApp('unsupported-app', { ...sharedStorage() });
    await expect(startHostProcess(appDir, {}, 30_000)).rejects.toThrow(
      /saveToCosmos: output binding "[^"]+" of type "cosmosDB"/
    );
  });

  it('starts such an app when told to warn, with Azurite for UseDevelopmentStorage=true settings', async () => {
    const appDir = fixtureApp('unsupported-app', {
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      FUNCTIONS_HOST_UNSUPPORTED_BINDINGS: 'warn',
      FUNCTIONS_HOST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'host-unsupported-')),
    });
    const started = await startHostProcess(appDir, {}, 30_000);
    try {
      expect(started.stdout).toMatch(/^storage: http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/m);
      expect(await (await fetch(`${started.url}/api/ok`)).text()).toBe('ok');
    } finally {
      await started.stop();
    }
  });
}
