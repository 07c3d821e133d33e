/**
 * The queue baseline: a plain receiveMessages + deleteMessage loop against Azurite, with the same
 * batching and concurrency as the local host's queue listener (a batch of `batchSize` is fetched
 * whenever no more than `newBatchThreshold` messages are in flight). Run as a child process (fork):
 * the parent sends `{ cmd: 'run', expected }` and gets back `{ type: 'done', firstAt, doneAt, ... }`.
 */
import { QueueClient, type DequeuedMessageItem } from '@azure/storage-queue';

export interface RunCommand {
  cmd: 'run';
  expected: number;
}

export interface RunResult {
  type: 'done';
  /** Wall clock (ms) when the first received message was in hand. */
  firstAt: number;
  /** Wall clock (ms) when the last delete was acknowledged. */
  doneAt: number;
  deleted: number;
  receiveCalls: number;
  errors: number;
}

const connection = process.env.AzureWebJobsStorage ?? '';
const queueName = process.env.BENCH_QUEUE ?? 'bench-noop';
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 32);
const newBatchThreshold = Number(process.env.BENCH_NEW_BATCH_THRESHOLD ?? 16);
const leaseSeconds = 600; // the host's processing lease
const minPollMs = 50; // the host's idle back-off: 50 ms doubling up to maxPollingInterval
const maxPollMs = Number(process.env.BENCH_MAX_POLL_MS ?? 100);

const queue = new QueueClient(connection, queueName);

async function consume(expected: number): Promise<RunResult> {
  let active = 0;
  let deleted = 0;
  let receiveCalls = 0;
  let errors = 0;
  let firstAt = 0;
  let doneAt = 0;
  let wake: (() => void) | undefined;
  const wait = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });

  const handle = async (message: DequeuedMessageItem) => {
    try {
      await queue.deleteMessage(message.messageId, message.popReceipt);
      deleted++;
      if (deleted === expected) doneAt = Date.now();
    } catch {
      errors++;
    } finally {
      active--;
      wake?.();
    }
  };

  let idleMs = minPollMs;
  while (deleted < expected) {
    if (active > newBatchThreshold) {
      await wait();
      continue;
    }
    receiveCalls++;
    const { receivedMessageItems } = await queue.receiveMessages({
      numberOfMessages: batchSize,
      visibilityTimeout: leaseSeconds,
    });
    if (receivedMessageItems.length === 0) {
      if (deleted >= expected) break;
      await wait(idleMs);
      idleMs = Math.min(idleMs * 2, maxPollMs);
      continue;
    }
    idleMs = minPollMs;
    if (firstAt === 0) firstAt = Date.now();
    for (const message of receivedMessageItems) {
      active++;
      void handle(message);
    }
  }
  return { type: 'done', firstAt, doneAt, deleted, receiveCalls, errors };
}

process.on('message', (message: RunCommand) => {
  if (message.cmd !== 'run') return;
  consume(message.expected).then(
    (result) => process.send?.(result),
    (err: unknown) => process.send?.({ type: 'error', message: String(err) })
  );
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
setTimeout(() => process.exit(1), Number(process.env.BENCH_CHILD_MAX_MS ?? 600_000)).unref();
process.stdout.write('raw consumer ready\n');
