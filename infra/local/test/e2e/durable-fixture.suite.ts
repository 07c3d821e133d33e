import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { existsSync, mkdtempSync, readdirSync } from 'fs';
import os from 'os';
import path from 'path';
import { fixtureApp, sharedStorage, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

export type DurableStoreKind = 'journal' | 'azure-storage';

/** The suite, run once per task hub store (one test file each). */
export function durableFixtureSuite(store: DurableStoreKind): void {
  // Durable Functions on the local host, driven as the Azure samples drive them: an HTTP starter that
  // uses df.getClient, then the status URLs createCheckStatusResponse returns.
  const key = 'durable-key';
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'host-durable-'));
  let host: HostProcess;

  interface Status {
    runtimeStatus: string;
    output: unknown;
    customStatus: unknown;
    historyEvents?: { EventType: string }[];
  }

  const appDir = fixtureApp('durable-app', {
    ...sharedStorage(),
    FUNCTIONS_HOST_DURABLE_STORE: store,
    FUNCTIONS_HOST_KEY: key,
    FUNCTIONS_HOST_DATA_DIR: dataDir,
  });

  function startDurableHost(extra: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
    return startHostProcess(appDir, extra);
  }

  async function start(name: string, input?: unknown, instanceId?: string): Promise<Record<string, string>> {
    const res = await fetch(`${host.url}/api/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, {
      method: 'POST',
      body: input === undefined ? '' : JSON.stringify(input),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as Record<string, string>;
  }

  async function statusOf(links: Record<string, string>, query = ''): Promise<Status> {
    const res = await fetch(`${links.statusQueryGetUri}${query}`);
    return (await res.json()) as Status;
  }

  async function finished(links: Record<string, string>, timeoutMs = 30_000): Promise<Status> {
    return waitFor(
      async () => {
        const status = await statusOf(links);
        return ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus) ? status : undefined;
      },
      { what: `instance ${links.id} to finish`, timeoutMs, intervalMs: 100 }
    );
  }

  beforeAll(async () => {
    host = await startDurableHost();
  });

  afterAll(async () => {
    await host?.stop();
  });

  it(`keeps the task hub in the ${store} store`, async () => {
    await finished(await start('sequence5', 'where'));
    const hub = path.join(dataDir, 'durable', 'fixturehub');
    if (store === 'journal') {
      expect(readdirSync(hub).some((name) => /^journal-\d+\.log$/.test(name))).toBe(true);
    } else {
      expect(existsSync(hub)).toBe(false);
      const history = TableClient.fromConnectionString(
        sharedStorage().AzureWebJobsStorage,
        'fixturehubHistory',
        {
          allowInsecureConnection: true,
        }
      );
      const rows = await history.listEntities().byPage({ maxPageSize: 1 }).next();
      expect(rows.value?.length).toBe(1);
    }
  });

  it('runs a sequence of five activities and reports it through the status URLs', async () => {
    const links = await start('sequence5');
    expect(links.statusQueryGetUri).toContain(`code=${key}`);
    const status = await finished(links);
    expect(status.output).toEqual([
      'Hello Tokyo',
      'Hello Seattle',
      'Hello London',
      'Hello Cairo',
      'Hello Lima',
    ]);
    const withHistory = await statusOf(links, '&showHistory=true');
    expect(withHistory.historyEvents!.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(5);
    const noKey = await fetch(links.statusQueryGetUri!.replace(`code=${key}`, 'code=wrong'));
    expect(noKey.status).toBe(401);
  });

  it('fans out to 100 activities and fans back in', async () => {
    const status = await finished(await start('fanOut', 100));
    expect(status.output).toBe(2 * ((99 * 100) / 2));
  });

  it('waits on a durable timer', async () => {
    const status = await finished(await start('timer', 1500));
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBeGreaterThanOrEqual(1500);
  });

  it('races an external event against a timeout: the event wins', async () => {
    const links = await start('approval', 60_000);
    await waitFor(async () => (await statusOf(links)).customStatus === 'waiting for approval', {
      what: 'the approval wait',
    });
    const raised = await fetch(links.sendEventPostUri!.replace('{eventName}', 'Approval'), {
      method: 'POST',
      body: JSON.stringify('ada'),
      headers: { 'content-type': 'application/json' },
    });
    expect(raised.status).toBe(202);
    expect((await finished(links)).output).toBe('approved by ada');
  });

  it('races an external event against a timeout: the timeout wins', async () => {
    const status = await finished(await start('approval', 1000));
    expect(status.output).toBe('timed out');
  });

  it('retries an activity that succeeds on the third attempt', async () => {
    const status = await finished(await start('retrying', { key: 'third-time', failTimes: 2, attempts: 5 }));
    expect(status.output).toBe('succeeded on attempt 3');
  });

  it('gives up when the retries are exhausted, with the last error', async () => {
    const status = await finished(await start('retrying', { key: 'never', failTimes: 10, attempts: 3 }));
    expect(status.output).toBe('gave up: flaky failure 3');
  });

  it('runs a sub-orchestration', async () => {
    const status = await finished(await start('parent'));
    expect(status.output).toEqual({ childCount: 5, first: 'Hello Tokyo' });
  });

  it('continues as new, counting to 10', async () => {
    const status = await finished(await start('counter', 0));
    expect(status.output).toBe(10);
  });

  it('reports an orchestrator failure with its message, and an activity failure with its stack', async () => {
    const status = await finished(await start('failing'));
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe('the orchestration fails on purpose');

    const links = await start('retrying', { key: 'stack', failTimes: 10, attempts: 1 });
    await finished(links);
    const history = await statusOf(links, '&showHistory=true&showHistoryOutput=true');
    const failed = history.historyEvents!.find((e) => e.EventType === 'TaskFailed') as unknown as {
      Reason: string;
      Details: string;
    };
    expect(failed.Reason).toBe('flaky failure 1');
    expect(failed.Details).toMatch(/Error: flaky failure 1\n\s+at /);
  });

  it('terminates and purges an instance; a used id can start again once it is over', async () => {
    const links = await start('waitForever', undefined, 'terminate-me');
    const again = await fetch(`${host.url}/api/orchestrators/waitForever/terminate-me`, {
      method: 'POST',
      body: '',
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    const direct = await fetch(
      `${host.url}/runtime/webhooks/durabletask/orchestrators/waitForever/terminate-me?code=${key}`,
      {
        method: 'POST',
      }
    );
    expect(direct.status).toBe(409);
    expect(direct.headers.get('content-type')).toBe('application/problem+json');
    await waitFor(async () => (await statusOf(links)).runtimeStatus === 'Running', { what: 'running' });
    const terminated = await fetch(links.terminatePostUri!.replace('{text}', 'enough'), { method: 'POST' });
    expect(terminated.status).toBe(202);
    const status = await finished(links);
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
    expect((await fetch(links.terminatePostUri!.replace('{text}', 'again'), { method: 'POST' })).status).toBe(
      410
    );

    const purged = await fetch(links.purgeHistoryDeleteUri!, { method: 'DELETE' });
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
    expect((await fetch(links.statusQueryGetUri!)).status).toBe(404);

    const restarted = await start('sequence5', undefined, 'terminate-me');
    expect((await finished(restarted)).runtimeStatus).toBe('Completed');
  });

  it('lists instances with filters and paging', async () => {
    const base = `${host.url}/runtime/webhooks/durabletask/instances?code=${key}`;
    const page = await fetch(`${base}&runtimeStatus=Completed&top=2`);
    expect(page.status).toBe(200);
    const items = (await page.json()) as { runtimeStatus: string }[];
    expect(items).toHaveLength(2);
    expect(items.every((i) => i.runtimeStatus === 'Completed')).toBe(true);
    const token = page.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const next = await fetch(`${base}&runtimeStatus=Completed&top=2`, {
      headers: { 'x-ms-continuation-token': token! },
    });
    expect(((await next.json()) as unknown[]).length).toBeGreaterThan(0);
    const future = await fetch(`${base}&createdTimeFrom=${new Date(Date.now() + 3600_000).toISOString()}`);
    expect(await future.json()).toEqual([]);
  });

  it('fails an instance whose code changed under it with a non-determinism error', async () => {
    const links = await start('evolving', undefined, 'evolving-1');
    await waitFor(
      async () =>
        ((await statusOf(links, '&showHistory=true')).historyEvents ?? []).some(
          (e) => e.EventType === 'TaskCompleted'
        ),
      { what: 'the first activity' }
    );
    await host.stop();
    host = await startDurableHost({ FIXTURE_VARIANT: 'changed' });
    const fresh = {
      ...links,
      statusQueryGetUri: links.statusQueryGetUri!.replace(/^http:\/\/[^/]+/, host.url),
    };
    await fetch(`${host.url}/runtime/webhooks/durabletask/instances/evolving-1/raiseEvent/go?code=${key}`, {
      method: 'POST',
      body: '{}',
    });
    const status = await finished(fresh);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('Non-deterministic workflow detected');
  });

  it('survives kill -9 with 200 orchestrations in flight: all complete, activities at least once', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `crash-${i}`);
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(ids.slice(i, i + 20).map((id) => start('crashSequence', undefined, id)));
    }
    const blobs = BlobServiceClient.fromConnectionString(
      sharedStorage().AzureWebJobsStorage
    ).getContainerClient('fixture-executions');
    await waitFor(
      async () => {
        let n = 0;
        for await (const _ of blobs.listBlobsFlat()) if (++n >= 100) return true;
        return false;
      },
      { what: 'some activities to run', timeoutMs: 30_000 }
    );
    await host.kill9();
    host = await startDurableHost();
    const statusUrl = (id: string) => `${host.url}/runtime/webhooks/durabletask/instances/${id}?code=${key}`;
    const outputs = await waitFor(
      async () => {
        const all = await Promise.all(
          ids.map(async (id) => (await (await fetch(statusUrl(id))).json()) as Status)
        );
        return all.every((s) => s.runtimeStatus === 'Completed') ? all.map((s) => s.output) : undefined;
      },
      { what: 'all 200 orchestrations to complete after the restart', timeoutMs: 90_000, intervalMs: 1000 }
    );
    expect(outputs).toEqual(ids.map(() => 6));

    const executions = new Map<string, number>();
    for await (const blob of blobs.listBlobsFlat()) {
      const [instance, step] = blob.name.split('/');
      const k = `${instance}/${step}`;
      executions.set(k, (executions.get(k) ?? 0) + 1);
    }
    expect(executions.size).toBe(600);
    const repeated = [...executions.values()].reduce((sum, n) => sum + n - 1, 0);
    console.log(
      `kill -9 recovery: 600 activity calls, ${repeated} ran more than once (at-least-once delivery)`
    );
  }, 180_000);
}
