import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import {
  serviceBusConnectionString,
  startServiceBusBroker,
  type ServiceBusBroker,
} from '../../services/service-bus/amqp-broker';
import { parseTopology } from '../../services/service-bus/topology';
import { freePort, startServiceBusChild } from '../../services/embedded-services';
import { waitFor } from '../support/wait-for';

// Every test goes through the real @azure/service-bus client to the broker.
const topology = parseTopology({
  queues: [
    { name: 'orders' },
    { name: 'retries', maxDeliveryCount: 3 },
    { name: 'short-locks', lockDurationSeconds: 1 },
    { name: 'short-lived', defaultMessageTimeToLiveSeconds: 1 },
    { name: 'durable' },
  ],
  topics: [
    {
      name: 'events',
      subscriptions: [
        { name: 'all' },
        { name: 'orders-only', filter: { subject: 'order', applicationProperties: { region: 'eu' } } },
      ],
    },
  ],
});

let dir: string;
let broker: ServiceBusBroker;
let client: ServiceBusClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servicebus-'));
  broker = await startServiceBusBroker({ directory: dir, topology });
  client = new ServiceBusClient(broker.connectionString);
});

afterAll(async () => {
  await client?.close();
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const bodies = (messages: ServiceBusReceivedMessage[]) => messages.map((m) => m.body as unknown);

async function receiveAll(
  receiver: ReturnType<ServiceBusClient['createReceiver']>,
  count: number,
  waitMs = 5000
): Promise<ServiceBusReceivedMessage[]> {
  const got: ServiceBusReceivedMessage[] = [];
  const deadline = Date.now() + waitMs;
  while (got.length < count && Date.now() < deadline) {
    got.push(...(await receiver.receiveMessages(count - got.length, { maxWaitTimeInMs: 500 })));
  }
  return got;
}

it('sends to a queue and receives in order, with id, properties and a sequence number', async () => {
  const sender = client.createSender('orders');
  await sender.sendMessages({ body: { n: 1 }, messageId: 'm1', applicationProperties: { kind: 'a' } });
  await sender.sendMessages([{ body: { n: 2 } }, { body: 'three', subject: 's' }]);
  const receiver = client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
  const got = await receiveAll(receiver, 3);
  expect(bodies(got)).toEqual([{ n: 1 }, { n: 2 }, 'three']);
  expect(got[0]!.messageId).toBe('m1');
  expect(got[0]!.applicationProperties).toEqual({ kind: 'a' });
  expect(got[2]!.subject).toBe('s');
  expect(got.map((m) => m.sequenceNumber!.toNumber())).toEqual(
    [...got].map((m) => m.sequenceNumber!.toNumber()).sort((a, b) => a - b)
  );
  expect(got[0]!.enqueuedTimeUtc).toBeInstanceOf(Date);
  expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  await receiver.close();
  await sender.close();
});

it('copies a topic message to every subscription whose correlation filter matches, in order', async () => {
  const sender = client.createSender('events');
  await sender.sendMessages([
    { body: 1, subject: 'order', applicationProperties: { region: 'eu' } },
    { body: 2, subject: 'order', applicationProperties: { region: 'us' } },
    { body: 3, subject: 'invoice', applicationProperties: { region: 'eu' } },
    { body: 4, subject: 'order', applicationProperties: { region: 'eu', extra: true } },
  ]);
  const all = client.createReceiver('events', 'all', { receiveMode: 'receiveAndDelete' });
  const filtered = client.createReceiver('events', 'orders-only', { receiveMode: 'receiveAndDelete' });
  expect(bodies(await receiveAll(all, 4))).toEqual([1, 2, 3, 4]);
  expect(bodies(await receiveAll(filtered, 2))).toEqual([1, 4]);
  expect(await filtered.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  await Promise.all([all.close(), filtered.close(), sender.close()]);
});

it('peek-lock: a completed message is gone, an unsettled one is not handed to anyone else', async () => {
  const sender = client.createSender('orders');
  await sender.sendMessages([{ body: 'a' }, { body: 'b' }]);
  const first = client.createReceiver('orders');
  const second = client.createReceiver('orders');
  const [a] = await first.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  expect(a!.body).toBe('a');
  expect(a!.lockToken).toMatch(/^[0-9a-f-]{36}$/);
  expect(a!.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now() + 50_000);
  const [b] = await second.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  expect(b!.body).toBe('b');
  expect(await second.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  await first.completeMessage(a!);
  await second.completeMessage(b!);
  expect(await second.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  expect(await second.peekMessages(5)).toEqual([]);
  await Promise.all([first.close(), second.close(), sender.close()]);
});

it('abandon redelivers with the delivery count up, and the last allowed delivery ends in the dead-letter queue', async () => {
  const sender = client.createSender('retries');
  await sender.sendMessages({ body: { id: 'poison' }, messageId: 'poison-1' });
  const receiver = client.createReceiver('retries');
  const counts: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(message!.body).toEqual({ id: 'poison' });
    counts.push(message!.deliveryCount!);
    await receiver.abandonMessage(message!);
  }
  expect(counts).toEqual([0, 1, 2]);
  expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  const dlq = client.createReceiver('retries', { subQueueType: 'deadLetter' });
  const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  expect(dead!.messageId).toBe('poison-1');
  expect(dead!.body).toEqual({ id: 'poison' });
  expect(dead!.deadLetterReason).toBe('MaxDeliveryCountExceeded');
  expect(dead!.deadLetterSource).toBe('retries');
  await dlq.completeMessage(dead!);
  await Promise.all([dlq.close(), receiver.close(), sender.close()]);
});

it('deadLetterMessage moves the message to the dead-letter queue with the reason and description', async () => {
  const sender = client.createSender('events');
  await sender.sendMessages({ body: 'bad', subject: 'x' });
  const receiver = client.createReceiver('events', 'all');
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  await receiver.deadLetterMessage(message!, {
    deadLetterReason: 'Invalid',
    deadLetterErrorDescription: 'no sku',
  });
  const dlq = client.createReceiver('events', 'all', {
    subQueueType: 'deadLetter',
    receiveMode: 'receiveAndDelete',
  });
  const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  expect(dead!.body).toBe('bad');
  expect(dead!.deadLetterReason).toBe('Invalid');
  expect(dead!.deadLetterErrorDescription).toBe('no sku');
  await Promise.all([dlq.close(), receiver.close(), sender.close()]);
});

it('an expired lock makes the message available again with the delivery count up; completing it late fails', async () => {
  const sender = client.createSender('short-locks');
  await sender.sendMessages({ body: 'slow' });
  const receiver = client.createReceiver('short-locks', { maxAutoLockRenewalDurationInMs: 0 });
  const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  const again = await receiveAll(receiver, 1, 4000);
  expect(again[0]!.body).toBe('slow');
  expect(again[0]!.deliveryCount).toBe(first!.deliveryCount! + 1);
  await expect(receiver.completeMessage(first!)).rejects.toMatchObject({ code: 'MessageLockLost' });
  await receiver.completeMessage(again[0]!);
  await Promise.all([receiver.close(), sender.close()]);
});

it('renewMessageLock extends the lock past its duration', async () => {
  const sender = client.createSender('short-locks');
  await sender.sendMessages({ body: 'long job' });
  const receiver = client.createReceiver('short-locks', { maxAutoLockRenewalDurationInMs: 0 });
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  const before = message!.lockedUntilUtc!.getTime();
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const renewed = await receiver.renewMessageLock(message!);
    expect(renewed.getTime()).toBeGreaterThan(before);
  }
  // Two seconds on a one-second lock: still ours.
  await receiver.completeMessage(message!);
  await Promise.all([receiver.close(), sender.close()]);
});

it('a scheduled message appears at its time, not before; a cancelled one never', async () => {
  const sender = client.createSender('orders');
  const at = new Date(Date.now() + 1500);
  const [kept] = await sender.scheduleMessages({ body: 'later' }, at);
  const [cancelled] = await sender.scheduleMessages({ body: 'never' }, at);
  await sender.cancelScheduledMessages(cancelled!);
  const peeker = client.createReceiver('orders');
  const peeked = await peeker.peekMessages(10);
  expect(peeked.map((m) => [m.body as unknown, m.state])).toEqual([['later', 'scheduled']]);
  expect(peeked[0]!.sequenceNumber!.toNumber()).toBe(kept!.toNumber());
  const receiver = client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
  const got = await receiveAll(receiver, 1, 5000);
  const arrived = Date.now();
  expect(bodies(got)).toEqual(['later']);
  expect(arrived).toBeGreaterThanOrEqual(at.getTime());
  expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 })).toEqual([]);
  await Promise.all([peeker.close(), receiver.close(), sender.close()]);
});

it('drops messages whose time to live ran out (entity default and per message)', async () => {
  const sender = client.createSender('short-lived');
  await sender.sendMessages({ body: 'stale' });
  const orders = client.createSender('orders');
  await orders.sendMessages([{ body: 'brief', timeToLive: 200 }, { body: 'lasting' }]);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const receiver = client.createReceiver('short-lived', { receiveMode: 'receiveAndDelete' });
  expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 })).toEqual([]);
  const ordersReceiver = client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
  expect(bodies(await receiveAll(ordersReceiver, 2, 1500))).toEqual(['lasting']);
  await Promise.all([receiver.close(), ordersReceiver.close(), sender.close(), orders.close()]);
});

it('a restart on the same directory keeps every sent message and forgets completed ones', async () => {
  const sender = client.createSender('durable');
  await sender.sendMessages(Array.from({ length: 20 }, (_, n) => ({ body: n, messageId: `d${n}` })));
  const receiver = client.createReceiver('durable');
  const taken = await receiveAll(receiver, 5);
  for (const message of taken) await receiver.completeMessage(message);
  // Two more locked, not settled, when the broker goes away: they come back.
  await receiveAll(receiver, 2);
  await client.close();
  await broker.close();

  broker = await startServiceBusBroker({ directory: dir, topology });
  client = new ServiceBusClient(broker.connectionString);
  const after = client.createReceiver('durable', { receiveMode: 'receiveAndDelete' });
  const rest = await receiveAll(after, 15);
  expect(rest.map((m) => m.messageId)).toEqual(Array.from({ length: 15 }, (_, n) => `d${n + 5}`));
  expect(await after.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  await after.close();
});

it('compacts its journal into a snapshot and recovers from it', async () => {
  const compactDir = fs.mkdtempSync(path.join(os.tmpdir(), 'servicebus-compact-'));
  const small = { directory: compactDir, topology, compactAtBytes: 4096 };
  let compacting = await startServiceBusBroker(small);
  let compactClient = new ServiceBusClient(compacting.connectionString);
  try {
    const sender = compactClient.createSender('durable');
    for (let batch = 0; batch < 10; batch++) {
      await sender.sendMessages(
        Array.from({ length: 10 }, (_, n) => ({ body: { n: batch * 10 + n, pad: 'x'.repeat(200) } }))
      );
    }
    const receiver = compactClient.createReceiver('durable');
    for (const message of await receiveAll(receiver, 30)) await receiver.completeMessage(message);
    await compactClient.close();
    await compacting.close();
    expect(fs.readdirSync(path.join(compactDir))).toContain('snapshot.log');

    compacting = await startServiceBusBroker(small);
    compactClient = new ServiceBusClient(compacting.connectionString);
    const after = compactClient.createReceiver('durable', { receiveMode: 'receiveAndDelete' });
    const rest = await receiveAll(after, 70);
    expect(rest.map((m) => (m.body as { n: number }).n)).toEqual(
      Array.from({ length: 70 }, (_, n) => n + 30)
    );
    expect(await after.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  } finally {
    await compactClient.close();
    await compacting.close();
    fs.rmSync(compactDir, { recursive: true, force: true });
  }
});

it('a kill -9 of the broker process loses no acknowledged send and brings back no completed message', async () => {
  const killDir = fs.mkdtempSync(path.join(os.tmpdir(), 'servicebus-kill-'));
  const topologyPath = path.join(killDir, 'topology.json');
  fs.writeFileSync(topologyPath, JSON.stringify({ queues: [{ name: 'durable' }] }));
  const port = await freePort('127.0.0.1');
  const child = startServiceBusChild(killDir, port, { topologyPath }, { restartOnCrash: true });
  await child.start();
  let killClient = new ServiceBusClient(serviceBusConnectionString('127.0.0.1', port));
  try {
    const sender = killClient.createSender('durable');
    for (let n = 0; n < 50; n++) await sender.sendMessages({ body: n });
    const receiver = killClient.createReceiver('durable');
    for (const message of await receiveAll(receiver, 10)) await receiver.completeMessage(message);
    await killClient.close();

    process.kill(child.pid!, 'SIGKILL');
    await waitFor(() => child.restarts === 1 && listening(port), { what: 'the broker to be restarted' });
    killClient = new ServiceBusClient(serviceBusConnectionString('127.0.0.1', port));
    const after = killClient.createReceiver('durable', { receiveMode: 'receiveAndDelete' });
    const rest = await receiveAll(after, 40);
    expect(rest.map((m) => m.body as number)).toEqual(Array.from({ length: 40 }, (_, n) => n + 10));
    expect(await after.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
  } finally {
    await killClient.close();
    await child.stop();
    fs.rmSync(killDir, { recursive: true, force: true });
  }
});

it('refuses an entity the topology does not have', async () => {
  const sender = client.createSender('no-such-queue');
  await expect(sender.sendMessages({ body: 1 })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
  await sender.close();
});
