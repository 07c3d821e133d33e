/**
 * Service Bus stage (BENCH_ONLY=servicebus): the local broker (a child process, as `npm start` runs
 * it) through the real `@azure/service-bus` client: sends in batches, receive-and-delete, and
 * peek-lock with a completion per message (`subscribe`, 16 handlers at once, what a Service Bus
 * trigger does). Each is measured with the journal's fsync on (the default) and off, which prices
 * durability. Writes test/bench/results/servicebus-YYYY-MM-DD.{json,md}.
 *
 * Then business events as the app publishes them: CloudEvents through the app's own publisher
 * (ServiceBusBusinessEventPublisher) to the `business-events` topic, a few per call and many calls at
 * once as journey activities make them, and received from the `all` subscription by a peek-lock
 * subscriber; next to the raw SDK sending plain messages of the same size, in the same batches, to
 * the same topic on the same broker, and receiving them the same way.
 *
 * Knobs (env): BENCH_SB_MESSAGES (5000), BENCH_SB_BATCH (100 messages per send), BENCH_SB_EVENTS
 * (5000 business events), BENCH_SB_EVENTS_PER_CALL (3), BENCH_SB_PUBLISHERS (16 calls at once).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { ServiceBusClient } from '@azure/service-bus';
import { freePort, serviceBusConnectionString, startServiceBusChild } from '@openiom/local-functions-host';
import { ServiceBusBusinessEventPublisher } from '../../shared/adapters/servicebus/business-event-topic';
import { toCloudEvent } from '../../shared/domain/events/cloud-event';
import { writeStageOnly } from './intake-load';
import type { Check } from './report';
import { envNumber } from './support';

interface ServiceBusFigures {
  messages: number;
  batch: number;
  sendPerSec: number;
  receiveAndDeletePerSec: number;
  peekLockCompletePerSec: number;
}

const body = { orderId: 'ORD-000001', lines: [{ sku: 'TSHIRT-BLK-M', quantity: 2 }], note: 'x'.repeat(200) };

async function measure(fsync: boolean, messages: number, batch: number, log: (line: string) => void) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-servicebus-'));
  const topologyPath = path.join(dataDir, 'topology.json');
  writeFileSync(topologyPath, JSON.stringify({ queues: [{ name: 'bench' }] }));
  const port = await freePort('127.0.0.1');
  const broker = startServiceBusChild(dataDir, port, { topologyPath, fsync }, { restartOnCrash: false });
  await broker.start();
  const client = new ServiceBusClient(serviceBusConnectionString('127.0.0.1', port));
  try {
    const sender = client.createSender('bench');
    const send = async () => {
      const started = performance.now();
      for (let sent = 0; sent < messages; sent += batch) {
        await sender.sendMessages(Array.from({ length: Math.min(batch, messages - sent) }, () => ({ body })));
      }
      return (messages * 1000) / (performance.now() - started);
    };
    const sendPerSec = await send();

    const deleting = client.createReceiver('bench', { receiveMode: 'receiveAndDelete' });
    let started = performance.now();
    for (let received = 0; received < messages;) {
      received += (
        await deleting.receiveMessages(Math.min(500, messages - received), { maxWaitTimeInMs: 2000 })
      ).length;
    }
    const receiveAndDeletePerSec = (messages * 1000) / (performance.now() - started);
    await deleting.close();

    await send();
    const locking = client.createReceiver('bench');
    started = performance.now();
    await new Promise<void>((resolve, reject) => {
      let completed = 0;
      locking.subscribe(
        {
          processMessage: async (message) => {
            await locking.completeMessage(message);
            if (++completed === messages) resolve();
          },
          processError: (args) => {
            reject(args.error);
            return Promise.resolve();
          },
        },
        { autoCompleteMessages: false, maxConcurrentCalls: 16 }
      );
    });
    const peekLockCompletePerSec = (messages * 1000) / (performance.now() - started);
    await locking.close();
    const figures: ServiceBusFigures = {
      messages,
      batch,
      sendPerSec,
      receiveAndDeletePerSec,
      peekLockCompletePerSec,
    };
    log(`servicebus (fsync ${fsync ? 'on' : 'off'}): ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await client.close();
    await broker.stop();
  }
}

interface EventFigures {
  events: number;
  perCall: number;
  concurrency: number;
  publishedPerSec: number;
  receivedPerSec: number;
}

/** Sends `total` messages in calls of `perCall`, `concurrency` calls at once; answers messages/s. */
async function sendAll(
  total: number,
  perCall: number,
  concurrency: number,
  send: (index: number, count: number) => Promise<void>
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        const count = Math.min(perCall, total - index);
        next += count;
        await send(index, count);
      }
    })
  );
  return (total * 1000) / (performance.now() - started);
}

/** Receives `total` messages from business-events/all, peek-lock, 16 handlers; answers messages/s. */
async function receiveAll(client: ServiceBusClient, total: number): Promise<number> {
  const receiver = client.createReceiver('business-events', 'all');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    let completed = 0;
    receiver.subscribe(
      {
        processMessage: async (message) => {
          await receiver.completeMessage(message);
          if (++completed === total) resolve();
        },
        processError: (args) => {
          reject(args.error);
          return Promise.resolve();
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: 16 }
    );
  });
  const perSec = (total * 1000) / (performance.now() - started);
  await receiver.close();
  return perSec;
}

function businessEvent(index: number) {
  const orderId = `01BENCH${String(Math.floor(index / 20)).padStart(10, '0')}`;
  return toCloudEvent({
    id: `${orderId}-${index}`,
    name: 'Order Header Ready to be Fulfilled',
    entityType: 'order',
    entityId: orderId,
    orderId,
    occurredAt: new Date().toISOString(),
  });
}

/** The app's business events and the raw SDK on one broker (fsync on, as npm start runs it). */
async function measureBusinessEvents(
  events: number,
  perCall: number,
  concurrency: number,
  log: (line: string) => void
): Promise<{ app: EventFigures; raw: EventFigures }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-servicebus-events-'));
  const topologyPath = path.join(dataDir, 'topology.json');
  writeFileSync(
    topologyPath,
    JSON.stringify({ topics: [{ name: 'business-events', subscriptions: [{ name: 'all' }] }] })
  );
  const port = await freePort('127.0.0.1');
  const broker = startServiceBusChild(
    dataDir,
    port,
    { topologyPath, fsync: true },
    { restartOnCrash: false }
  );
  await broker.start();
  const client = new ServiceBusClient(serviceBusConnectionString('127.0.0.1', port));
  try {
    const publisher = new ServiceBusBusinessEventPublisher(client, 'business-events');
    const eventsOf = (index: number, count: number) =>
      Array.from({ length: count }, (_, i) => businessEvent(index + i));
    // Warm the links, then measure.
    await publisher.publish(eventsOf(0, 1));
    await receiveAll(client, 1);
    const appPublished = await sendAll(events, perCall, concurrency, (index, count) =>
      publisher.publish(eventsOf(index, count))
    );
    const appReceived = await receiveAll(client, events);

    const sender = client.createSender('business-events');
    const plain = JSON.stringify(businessEvent(0));
    const rawSent = await sendAll(events, perCall, concurrency, (_, count) =>
      sender.sendMessages(Array.from({ length: count }, () => ({ body: plain })))
    );
    const rawReceived = await receiveAll(client, events);
    await sender.close();
    await publisher.close();
    const figures = (publishedPerSec: number, receivedPerSec: number): EventFigures => ({
      events,
      perCall,
      concurrency,
      publishedPerSec,
      receivedPerSec,
    });
    const result = { app: figures(appPublished, appReceived), raw: figures(rawSent, rawReceived) };
    log(`business events: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await client.close();
    await broker.stop();
  }
}

/** `BENCH_ONLY=servicebus`: returns the exit code. */
export async function runServiceBusOnly(date: Date, log: (line: string) => void): Promise<number> {
  const messages = envNumber('BENCH_SB_MESSAGES', 5000);
  const batch = envNumber('BENCH_SB_BATCH', 100);
  const durable = await measure(true, messages, batch, log);
  const unsynced = await measure(false, messages, batch, log);
  const check = (measure: string, key: keyof ServiceBusFigures): Check => ({
    measure,
    host: Math.round(durable[key]),
    baseline: Math.round(unsynced[key]),
    baselineName: 'same broker, journal without fsync',
    unit: 'msgs/s',
    ratio: durable[key] / unsynced[key],
  });
  const events = envNumber('BENCH_SB_EVENTS', 5000);
  const perCall = envNumber('BENCH_SB_EVENTS_PER_CALL', 3);
  const publishers = envNumber('BENCH_SB_PUBLISHERS', 16);
  const businessEvents = await measureBusinessEvents(events, perCall, publishers, log);
  const eventCheck = (measure: string, key: 'publishedPerSec' | 'receivedPerSec'): Check => ({
    measure,
    host: Math.round(businessEvents.app[key]),
    baseline: Math.round(businessEvents.raw[key]),
    baselineName: 'raw SDK, same messages and batches, same broker',
    unit: 'msgs/s',
    ratio: businessEvents.app[key] / businessEvents.raw[key],
  });
  const checks = [
    check(`send, batches of ${batch}`, 'sendPerSec'),
    check('receive-and-delete', 'receiveAndDeletePerSec'),
    check('peek-lock + complete, 16 at once', 'peekLockCompletePerSec'),
    eventCheck(
      `business events published to the topic, ${perCall} per call, ${publishers} calls at once`,
      'publishedPerSec'
    ),
    eventCheck('business events received from business-events/all, peek-lock, 16 at once', 'receivedPerSec'),
  ];
  const markdown = [
    `${messages} messages of about 300 bytes to one queue of the local Service Bus broker (a child`,
    'process), through `@azure/service-bus` on one connection. The broker journals every send and',
    'settlement before confirming it; the baseline is the same broker with fsync off.',
    '',
    `Business events: ${events} CloudEvents published with the app's publisher (${perCall} per call,`,
    `${publishers} calls at once, as journey activities publish them) to the \`business-events\` topic and`,
    'received from its `all` subscription (peek-lock, 16 handlers); the baseline is the raw SDK sending',
    'plain messages of the same size in the same batches to the same topic of the same broker (fsync on).',
    '',
  ].join('\n');
  return writeStageOnly(
    'servicebus',
    date,
    checks,
    markdown,
    { servicebus: { durable, unsynced, businessEvents } },
    log
  );
}
