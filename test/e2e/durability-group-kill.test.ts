import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import {
  expectEachFulfilledOnce,
  fulfillmentOrdersByOrder,
  groupMembers,
  postOrders,
  seedCatalog,
  startCrashApp,
  tearDurableJournalTail,
  type CrashApp,
} from '../support/crash-app';
import { waitFor } from '../support/wait-for';

// `kill -9` of the whole app at once (host, Azurite, Cosmos server: one process group, as `npm start`
// runs them), then a restart on the same data: what was acknowledged must still be there. A 202 for
// an order means its intake message is stored, so every such order must reach its fulfillment
// order exactly once, whatever instant the kill hit.
const key = 'durability-group-kill-key';
let dataDir: string;
let app: CrashApp | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-group-kill-'));
});

afterEach(async () => {
  await app?.killGroup();
  app = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function killAndRestart(whileDown?: () => void): Promise<void> {
  const pgid = app!.pid;
  await app!.killGroup();
  expect(groupMembers(pgid)).toEqual([]);
  whileDown?.();
  app = await startCrashApp(dataDir, key);
}

it('kill -9 of the group right after the last of 300 orders posted at 100/s was accepted: each is fulfilled once', async () => {
  app = await startCrashApp(dataDir, key);
  await seedCatalog(app);
  const { accepted, refused } = await postOrders(app, { count: 300, prefix: 'burst' });
  await killAndRestart();

  expect(refused).toEqual([]);
  expect(accepted.size).toBe(300);
  await expectEachFulfilledOnce(app, accepted, 180_000);
}, 300_000);

it('kill -9 of the group with 100 journeys in flight, the task hub journal ending in a torn record: each is fulfilled once', async () => {
  app = await startCrashApp(dataDir, key);
  await seedCatalog(app);
  const { accepted, refused } = await postOrders(app, { count: 100, prefix: 'inflight' });
  expect(refused).toEqual([]);
  const before = await waitFor(
    async () => {
      const found = await fulfillmentOrdersByOrder(app!);
      return found.size > 0 ? found : undefined;
    },
    { what: 'the first fulfillment order', timeoutMs: 120_000, intervalMs: 200 }
  );
  // What a write the kill cut short leaves: never acknowledged, so it must be ignored.
  await killAndRestart(() => tearDurableJournalTail(dataDir));

  expect(before.size).toBeLessThan(accepted.size);
  await expectEachFulfilledOnce(app, accepted, 180_000);
}, 300_000);
