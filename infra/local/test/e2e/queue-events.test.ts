import { QueueServiceClient } from '@azure/storage-queue';
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { startAzurite, type Azurite } from '../../services/azurite';
import { fixtureApp, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// A queue trigger that has backed off to a long polling interval still takes a new message at once:
// the Azurite the host runs tells it which queue got one. Its own Azurite, so that no other host
// listens to the fixture's queue.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'host-queue-events-'));
let azurite: Azurite;
let host: HostProcess;

beforeAll(async () => {
  azurite = await startAzurite({ dataDir });
  const appDir = fixtureApp(
    'app',
    { AzureWebJobsStorage: azurite.connectionString, FUNCTIONS_HOST_DATA_DIR: dataDir },
    (json) => ({
      ...json,
      extensions: { queues: { batchSize: 8, visibilityTimeout: '00:00:00', maxPollingInterval: '00:01:00' } },
    })
  );
  host = await startHostProcess(appDir);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('runs a message sent to an idle queue within a second, though polling has backed off to seconds', async () => {
  const queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  const work = queues.getQueueClient('fixture-work');
  const done = queues.getQueueClient('fixture-done');
  await done.createIfNotExists();
  // Idle for 14 s: the trigger's empty polls have backed off (50 ms doubling) to a 12.8 s wait.
  await new Promise((resolve) => setTimeout(resolve, 14_000));
  const sent = Date.now();
  await work.sendMessage(Buffer.from(JSON.stringify({ id: 'soon' })).toString('base64'));
  await waitFor(async () => (await done.receiveMessages()).receivedMessageItems.length > 0 || undefined, {
    what: 'the message to be handled',
    timeoutMs: 30_000,
    intervalMs: 50,
  });
  expect(Date.now() - sent).toBeLessThan(1000);
}, 60_000);
