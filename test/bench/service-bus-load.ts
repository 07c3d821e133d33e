/**
 * Service Bus stage (BENCH_ONLY=servicebus): the local broker (a child process, as `npm start` runs
 * it) through the real `@azure/service-bus` client: sends in batches, receive-and-delete, and
 * peek-lock with a completion per message (`subscribe`, 16 handlers at once, what a Service Bus
 * trigger does). Each is measured with the journal's fsync on (the default) and off, which prices
 * durability. Writes test/bench/results/servicebus-YYYY-MM-DD.{json,md}.
 *
 * Knobs (env): BENCH_SB_MESSAGES (5000), BENCH_SB_BATCH (100 messages per send).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { ServiceBusClient } from '@azure/service-bus';
import { freePort, serviceBusConnectionString, startServiceBusChild } from '@openiom/local-functions-host';
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
  const checks = [
    check(`send, batches of ${batch}`, 'sendPerSec'),
    check('receive-and-delete', 'receiveAndDeletePerSec'),
    check('peek-lock + complete, 16 at once', 'peekLockCompletePerSec'),
  ];
  const markdown = [
    `${messages} messages of about 300 bytes to one queue of the local Service Bus broker (a child`,
    'process), through `@azure/service-bus` on one connection. The broker journals every send and',
    'settlement before confirming it; the baseline is the same broker with fsync off.',
    '',
  ].join('\n');
  return writeStageOnly('servicebus', date, checks, markdown, { servicebus: { durable, unsynced } }, log);
}
