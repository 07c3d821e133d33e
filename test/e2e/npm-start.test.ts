import { CosmosClient } from '@azure/cosmos';
import { ServiceBusClient } from '@azure/service-bus';
import { BlobServiceClient } from '@azure/storage-blob';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { repoRoot, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// What `npm start` runs, with no services given: it starts its own Azurite, Cosmos server and
// Service Bus broker.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-start-'));
const ownServices = {
  AzureWebJobsStorage: '',
  COSMOS_ENDPOINT: '',
  COSMOS_KEY: '',
  SERVICEBUS_CONNECTION: '',
  OPENIOM_DATA_DIR: dataDir,
};
const emulatorKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
let host: HostProcess | undefined;

/** OPENIOM_FUNCTIONS_KEY of the settings file `npm start` reads: local.settings.json, else the sample. */
function settingsFileKey(): string {
  const file = ['local.settings.json', 'local.settings.sample.json']
    .map((name) => path.join(repoRoot, name))
    .find((candidate) => existsSync(candidate))!;
  return (JSON.parse(readFileSync(file, 'utf8')) as { Values: Record<string, string> }).Values
    .OPENIOM_FUNCTIONS_KEY!;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function printed(name: string, stdout: string): string {
  const match = new RegExp(`^${name}: (\\S+)$`, 'm').exec(stdout);
  if (!match) throw new Error(`the host did not print "${name}:"\n${stdout}`);
  return match[1]!;
}

function clientsOf(started: HostProcess) {
  const cosmos = new CosmosClient({
    endpoint: printed('cosmos', started.stdout),
    key: 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
    connectionPolicy: {
      enableEndpointDiscovery: false,
      retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 1 },
    },
  });
  const blobEndpoint = printed('storage', started.stdout);
  const blobs = BlobServiceClient.fromConnectionString(
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${emulatorKey};BlobEndpoint=${blobEndpoint};`,
    { retryOptions: { maxTries: 1 } }
  );
  return { catalog: cosmos.database('openiom').container('catalog'), blobs };
}

afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts the app with its own services, then comes back with the data after kill -9', async () => {
  const startedAt = Date.now();
  host = await startHostProcess(ownServices, 60_000);
  expect(Date.now() - startedAt).toBeLessThan(60_000);
  expect(host.stdout).toMatch(/^function key: \S+$/m);
  // With no key in the environment, the settings file's key is the one in force.
  expect(process.env.OPENIOM_FUNCTIONS_KEY).toBeUndefined();
  expect(printed('function key', host.stdout)).toBe(settingsFileKey());
  const health = await fetch(`${host.url}/api/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });

  const before = clientsOf(host);
  const { resource: written } = await before.catalog.items.create({
    id: 'product:demo',
    key: 'product:demo',
    n: 1,
  });
  const drop = before.blobs.getContainerClient('survivors');
  await drop.createIfNotExists();
  await drop.getBlockBlobClient('note.txt').upload('still here', 10);
  const serviceBusBefore = /^servicebus: (Endpoint=sb:\/\/\S+)$/m.exec(host.stdout)?.[1];
  expect(serviceBusBefore).toBeDefined();
  const busBefore = new ServiceBusClient(serviceBusBefore!);
  // On the topic no function of the app consumes: it waits in the `all` subscription.
  await busBefore
    .createSender('business-events')
    .sendMessages({ body: { externalId: 'SB-1' }, messageId: 'sb-1' });
  await busBefore.close();

  await host.kill9();
  // The services are children of the host: they notice it is gone and stop too.
  const answers = (probe: () => Promise<unknown>) =>
    probe().then(
      () => true,
      (err: { statusCode?: number }) => err.statusCode !== undefined
    );
  await waitFor(
    async () =>
      !(await answers(() => before.catalog.item('product:demo', 'product:demo').read())) &&
      !(await answers(() => drop.exists())) &&
      !(await listening(Number(/:(\d+);/.exec(serviceBusBefore!)![1]))),
    { what: 'the orphaned services to stop', timeoutMs: 15_000 }
  );

  host = await startHostProcess(ownServices, 60_000);
  const after = clientsOf(host);
  const { resource: read } = await after.catalog.item('product:demo', 'product:demo').read<{ n: number }>();
  expect(read).toMatchObject({ id: 'product:demo', n: 1, _etag: written!._etag });
  const note = await after.blobs.getContainerClient('survivors').getBlobClient('note.txt').downloadToBuffer();
  expect(note.toString()).toBe('still here');
  expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
  const busAfter = new ServiceBusClient(/^servicebus: (Endpoint=sb:\/\/\S+)$/m.exec(host.stdout)![1]!);
  try {
    const receiver = busAfter.createReceiver('business-events', 'all', { receiveMode: 'receiveAndDelete' });
    const kept = await waitFor(
      async () =>
        (await receiver.receiveMessages(50, { maxWaitTimeInMs: 1000 })).find((m) => m.messageId === 'sb-1'),
      { what: 'the message sent before the kill', timeoutMs: 15_000 }
    );
    expect(kept).toMatchObject({ messageId: 'sb-1', body: { externalId: 'SB-1' } });
  } finally {
    await busAfter.close();
  }
}, 150_000);
