/**
 * Queue throughput: a pre-filled queue drained by a consumer (the host's queue trigger, or the raw
 * receive/delete loop), timed from the first message in the consumer's hands to the queue being empty.
 *
 * "Empty" is Azurite's `approximateMessagesCount`, which Azurite computes exactly (it counts every
 * stored message of the queue, visible or not, and a message leaves the store only when deleted), so
 * count 0 means every message went through receive → handler → delete. The poll adds at most one
 * interval (20 ms) plus one round trip to each round, the same for both consumers.
 */
import type { QueueClient } from '@azure/storage-queue';
import type { Child } from './support';
import { median, sleep, waitFor } from './support';
import type { RunCommand, RunResult } from './raw-queue-consumer';

export interface QueueLoadSettings {
  messages: number;
  warmupMessages: number;
  rounds: number;
  /** sendMessage calls in flight while pre-filling. */
  enqueueConcurrency: number;
  pollMs: number;
  roundTimeoutMs: number;
}

export interface QueueRound {
  messages: number;
  /** ms from the first message in hand to the queue observed empty. */
  drainMs: number;
  msgsPerSec: number;
  /** Pre-fill rate (sendMessage, `enqueueConcurrency` in flight), for scale. */
  enqueuePerSec: number;
  /** Extra detail: handler invocations seen (host) or deletes acknowledged (raw). */
  completed: number;
  /** Raw only: rate up to the last delete acknowledged, without the poll's granularity. */
  exactMsgsPerSec?: number;
}

export interface QueueFigures {
  consumer: string;
  rounds: QueueRound[];
  medianMsgsPerSec: number;
}

async function count(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? -1;
}

/** Enqueues `n` base64 JSON messages (as the Functions host expects) and returns the rate. */
export async function enqueue(
  queue: QueueClient,
  n: number,
  concurrency: number,
  check = true
): Promise<number> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      await queue.sendMessage(Buffer.from(JSON.stringify({ i, at: started })).toString('base64'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const total = check ? await count(queue) : n;
  if (total !== n) throw new Error(`expected ${n} messages on "${queue.name}", found ${total}`);
  return (n * 1000) / Math.max(1, Date.now() - started);
}

async function waitEmpty(queue: QueueClient, settings: QueueLoadSettings, what: string): Promise<number> {
  return waitFor(
    async () => ((await count(queue)) === 0 ? Date.now() : undefined),
    `${what}: queue "${queue.name}" empty`,
    settings.roundTimeoutMs,
    settings.pollMs
  );
}

async function ensureEmpty(queue: QueueClient): Promise<void> {
  if ((await count(queue)) !== 0) await queue.clearMessages();
  if ((await count(queue)) !== 0) throw new Error(`queue "${queue.name}" is not empty before a round`);
}

/** The raw receive/delete loop (raw-queue-consumer.ts, forked with IPC). */
export async function measureRawQueue(
  raw: Child,
  queue: QueueClient,
  settings: QueueLoadSettings
): Promise<QueueFigures> {
  const runOnce = (expected: number) =>
    new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('raw consumer: round timed out')),
        settings.roundTimeoutMs
      );
      raw.process.once('message', (reply: RunResult | { type: 'error'; message: string }) => {
        clearTimeout(timer);
        if (reply.type === 'done') resolve(reply);
        else reject(new Error(`raw consumer failed: ${reply.message}`));
      });
      raw.process.send({ cmd: 'run', expected } satisfies RunCommand);
    });

  await ensureEmpty(queue);
  await enqueue(queue, settings.warmupMessages, settings.enqueueConcurrency);
  await runOnce(settings.warmupMessages);
  await waitEmpty(queue, settings, 'raw warm-up');

  const rounds: QueueRound[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    await ensureEmpty(queue);
    const enqueuePerSec = await enqueue(queue, settings.messages, settings.enqueueConcurrency);
    const done = runOnce(settings.messages);
    const emptyAt = await waitEmpty(queue, settings, 'raw round');
    const result = await done;
    if (result.deleted !== settings.messages || result.errors > 0) {
      throw new Error(
        `raw consumer deleted ${result.deleted}/${settings.messages} with ${result.errors} errors`
      );
    }
    const drainMs = emptyAt - result.firstAt;
    rounds.push({
      messages: settings.messages,
      drainMs,
      msgsPerSec: (settings.messages * 1000) / drainMs,
      enqueuePerSec,
      completed: result.deleted,
      exactMsgsPerSec: (settings.messages * 1000) / (result.doneAt - result.firstAt),
    });
    await sleep(200);
  }
  return {
    consumer: 'raw receive(32)/delete loop',
    rounds,
    medianMsgsPerSec: median(rounds.map((r) => r.msgsPerSec)),
  };
}

interface HostQueueStats {
  invocations: number;
  firstAt: number;
  lastAt: number;
}

/**
 * The host's queue trigger (the bench app's `noop`). The host is paused (SIGSTOP) while the queue is
 * pre-filled, so it drains a full queue as the raw loop does; the clock starts at its first
 * invocation (the bench app's in-memory counters, read over HTTP after the round).
 */
export async function measureHostQueue(
  host: Child,
  queue: QueueClient,
  poison: QueueClient,
  settings: QueueLoadSettings
): Promise<QueueFigures> {
  const statsUrl = `${host.url}/api/bench/queue-stats`;
  const stats = async (method: 'GET' | 'DELETE') => {
    const res = await fetch(statsUrl, { method });
    if (res.status !== 200) throw new Error(`${method} ${statsUrl} answered ${res.status}`);
    return (await res.json()) as HostQueueStats;
  };

  await ensureEmpty(queue);
  await stats('DELETE');
  await enqueue(queue, settings.warmupMessages, settings.enqueueConcurrency, false); // consumed meanwhile
  await waitEmpty(queue, settings, 'host warm-up');
  await waitFor(
    async () => (await stats('GET')).invocations >= settings.warmupMessages,
    'host warm-up invocations',
    settings.roundTimeoutMs
  );

  const rounds: QueueRound[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    await ensureEmpty(queue);
    await stats('DELETE');
    host.process.kill('SIGSTOP');
    let enqueuePerSec: number;
    try {
      enqueuePerSec = await enqueue(queue, settings.messages, settings.enqueueConcurrency);
    } finally {
      host.process.kill('SIGCONT');
    }
    let emptyAt: number;
    try {
      emptyAt = await waitEmpty(queue, settings, 'host round');
    } catch (err) {
      const left = await count(queue).catch(() => NaN);
      const seenSoFar = await stats('GET').catch((e: unknown) => String(e));
      throw new Error(
        `${String(err)}; ${left} messages left, host stats ${JSON.stringify(seenSoFar)}; host stderr:\n` +
          host.stderr().slice(-4000)
      );
    }
    const seen = await stats('GET');
    if (seen.invocations !== settings.messages) {
      throw new Error(`host invoked "noop" ${seen.invocations} times for ${settings.messages} messages`);
    }
    const drainMs = emptyAt - seen.firstAt;
    rounds.push({
      messages: settings.messages,
      drainMs,
      msgsPerSec: (settings.messages * 1000) / drainMs,
      enqueuePerSec,
      completed: seen.invocations,
    });
    await sleep(200);
  }
  if ((await poison.exists()) && (await count(poison)) > 0) {
    throw new Error(`the host moved messages to "${poison.name}"; see its log`);
  }
  return {
    consumer: 'local host queue trigger (bench app "noop")',
    rounds,
    medianMsgsPerSec: median(rounds.map((r) => r.msgsPerSec)),
  };
}
