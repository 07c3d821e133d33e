import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import {
  expectEachFulfilledOnce,
  fulfillmentOrdersByOrder,
  postOrders,
  seedCatalog,
  startCrashApp,
  type CrashApp,
} from '../support/crash-app';
import { waitFor } from '../support/wait-for';

// `kill -9` of one service of a running app: the host's supervisor starts it again on the same
// ports and data, and the app carries on. Whatever the app acknowledged before, during or after
// must come through exactly once. (A kill of the host alone is journeys-crash.test.ts, and the
// torn journal record it can leave is durability-group-kill.test.ts and the store's unit tests.)
const key = 'durability-service-kill-key';
let dataDir: string;
let app: CrashApp | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-service-kill-'));
});

afterEach(async () => {
  await app?.killGroup();
  app = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** SIGKILL to the service child and the pid of the one the host started in its place. */
async function killService(script: 'azurite-main' | 'cosmos-server-main'): Promise<number> {
  const pid = app!.servicePid(script);
  if (pid === undefined) throw new Error(`the host has no ${script} child`);
  process.kill(pid, 'SIGKILL');
  return waitFor(
    () => {
      const next = app!.servicePid(script);
      return next !== undefined && next !== pid ? next : undefined;
    },
    { what: `the host to start ${script} again`, timeoutMs: 30_000 }
  );
}

it('kill -9 of Azurite while orders are posted at 100/s: each accepted order is fulfilled once', async () => {
  app = await startCrashApp(dataDir, key);
  await seedCatalog(app);
  let restarted: Promise<number> | undefined;
  const during = await postOrders(app, {
    count: 150,
    prefix: 'azurite',
    // Half a second in: intake messages are queued and being consumed.
    onTick: (tick) => {
      if (tick === 5) restarted = killService('azurite-main');
    },
  });
  await restarted;
  const after = await postOrders(app, { count: 150, prefix: 'azurite-after' });

  // Posts while Azurite was down may be refused (a client sends them again); the first half second's
  // were accepted before the kill, and every post after the restart is.
  expect(during.accepted.size + during.refused.length).toBe(150);
  expect(during.accepted.size).toBeGreaterThanOrEqual(50);
  expect(after.refused).toEqual([]);
  await expectEachFulfilledOnce(app, new Map([...during.accepted, ...after.accepted]), 180_000);
}, 300_000);

it('kill -9 of the Cosmos server with 100 journeys in flight: each is fulfilled once', async () => {
  app = await startCrashApp(dataDir, key);
  await seedCatalog(app);
  const { accepted, refused } = await postOrders(app, { count: 100, prefix: 'cosmos' });
  expect(refused).toEqual([]);
  const before = await waitFor(
    async () => {
      const found = await fulfillmentOrdersByOrder(app!);
      return found.size > 0 ? found : undefined;
    },
    { what: 'the first fulfillment order', timeoutMs: 120_000, intervalMs: 200 }
  );
  await killService('cosmos-server-main');

  expect(before.size).toBeLessThan(accepted.size);
  await expectEachFulfilledOnce(app, accepted, 180_000);
}, 300_000);
