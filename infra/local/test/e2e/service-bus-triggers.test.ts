import { existsSync, mkdtempSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { ServiceBusClient } from '@azure/service-bus';
import {
  fixtureApp,
  packageRoot,
  sharedStorage,
  startHostProcess,
  type HostProcess,
} from '../support/host-process';
import { waitFor } from '../support/wait-for';

// The host starts the Service Bus broker (SERVICEBUS_CONNECTION named without a value) with the
// app's topology, prints its connection string, and runs the app's Service Bus triggers through it.
const seenFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sb-seen-')), 'seen.ndjson');
const appDir = fixtureApp('service-bus-app', {
  ...sharedStorage(),
  SERVICEBUS_CONNECTION: '',
  SERVICEBUS_TOPOLOGY: path.join(packageRoot, 'test', 'fixtures', 'service-bus-app', 'topology.json'),
  SEEN_FILE: seenFile,
});

interface Seen {
  fn: string;
  message: unknown;
  metadata: Record<string, unknown>;
}

let host: HostProcess;
let client: ServiceBusClient;
let connection = '';

function seen(): Seen[] {
  if (!existsSync(seenFile)) return [];
  return readFileSync(seenFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Seen);
}

/**
 * Whether an entity holds no message, locked ones included. A client of its own each time: a
 * client's peeks go on from the last message it peeked.
 */
async function isEmpty(...entity: [string] | [string, string]): Promise<boolean> {
  const peekClient = new ServiceBusClient(connection);
  try {
    const peeker =
      entity.length === 1
        ? peekClient.createReceiver(entity[0])
        : peekClient.createReceiver(entity[0], entity[1]);
    return (await peeker.peekMessages(1)).length === 0;
  } finally {
    await peekClient.close();
  }
}

beforeAll(async () => {
  host = await startHostProcess(appDir, {
    FUNCTIONS_HOST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'host-sb-data-')),
  });
  connection = /^servicebus: (Endpoint=sb:\/\/\S+)$/m.exec(host.stdout)?.[1] ?? '';
  expect(connection).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;.*UseDevelopmentEmulator=true$/);
  client = new ServiceBusClient(connection);
});

afterAll(async () => {
  await client?.close();
  await host?.stop();
});

it('prints the broker connection string before the ready line', () => {
  const lines = host.stdout.split('\n');
  const servicebus = lines.findIndex((line) => line.startsWith('servicebus: Endpoint=sb://'));
  expect(servicebus).toBeGreaterThanOrEqual(0);
  expect(servicebus).toBeLessThan(lines.findIndex((line) => line.startsWith('functions host ready on')));
});

it('an app.serviceBusTopic handler gets the body and trigger metadata; a completed message is gone', async () => {
  const sender = client.createSender('events');
  await sender.sendMessages({
    body: { orderId: 'ORD-1' },
    messageId: 'evt-1',
    subject: 'order.created',
    applicationProperties: { entityType: 'order' },
  });
  await waitFor(() => seen().some((s) => s.fn === 'onEvent'), { what: 'the topic handler to run' });
  const [event] = seen().filter((s) => s.fn === 'onEvent');
  expect(event!.message).toEqual({ orderId: 'ORD-1' });
  expect(event!.metadata).toMatchObject({
    messageId: 'evt-1',
    deliveryCount: 1,
    subject: 'order.created',
    applicationProperties: { entityType: 'order' },
  });
  expect(typeof event!.metadata.enqueuedTimeUtc).toBe('string');
  await waitFor(() => isEmpty('events', 'handler'), { what: 'the message to be completed' });
  await sender.close();
});

it('a handler that always throws is retried up to the max delivery count, then dead-lettered', async () => {
  const sender = client.createSender('events');
  await sender.sendMessages({ body: { fail: true }, messageId: 'evt-fail' });
  const dlq = client.createReceiver('events', 'handler', { subQueueType: 'deadLetter' });
  let dead: Awaited<ReturnType<typeof dlq.receiveMessages>> = [];
  await waitFor(
    async () => {
      dead = await dlq.receiveMessages(1, { maxWaitTimeInMs: 500 });
      return dead.length > 0;
    },
    { what: 'the failing message in the dead-letter queue' }
  );
  expect(dead[0]!.messageId).toBe('evt-fail');
  expect(dead[0]!.deadLetterReason).toBe('MaxDeliveryCountExceeded');
  await dlq.completeMessage(dead[0]!);
  const attempts = seen().filter((s) => s.fn === 'onEvent' && (s.message as { fail?: boolean }).fail);
  expect(attempts.map((s) => s.metadata.deliveryCount)).toEqual([1, 2]);
  await dlq.close();
  await sender.close();
});

it('an app.serviceBusQueue handler gets every message of a batch; its Service Bus output reaches the broker', async () => {
  const sender = client.createSender('jobs');
  await sender.sendMessages(Array.from({ length: 10 }, (_, n) => ({ body: `job-${n}` })));
  await waitFor(() => seen().filter((s) => s.fn === 'onJob').length >= 10, { what: 'ten jobs handled' });
  expect(
    seen()
      .filter((s) => s.fn === 'onJob')
      .map((s) => s.message)
      .sort()
  ).toEqual(Array.from({ length: 10 }, (_, n) => `job-${n}`).sort());
  const outputs = client.createReceiver('done', { receiveMode: 'receiveAndDelete' });
  const received: unknown[] = [];
  await waitFor(
    async () => {
      for (const m of await outputs.receiveMessages(10, { maxWaitTimeInMs: 300 })) received.push(m.body);
      return received.length >= 10;
    },
    { what: 'ten output messages on the done queue' }
  );
  expect(received.map((b) => (b as { done: string }).done).sort()).toEqual(
    Array.from({ length: 10 }, (_, n) => `job-${n}`).sort()
  );
  await outputs.close();
  await sender.close();
});

it('renews the lock while a handler runs longer than the lock duration', async () => {
  const sender = client.createSender('slow');
  await sender.sendMessages({ body: 'slow job' });
  await waitFor(() => seen().some((s) => s.fn === 'onSlow'), { what: 'the slow handler to start' });
  expect(await isEmpty('slow')).toBe(false);
  await waitFor(() => isEmpty('slow'), { what: 'the slow message to be completed' });
  expect(seen().filter((s) => s.fn === 'onSlow')).toHaveLength(1);
  await sender.close();
});
