/**
 * The cost of Azurite's write journal, measured in one run: queue sends and table upserts against an
 * Azurite with the journal (default) and one with `FUNCTIONS_HOST_DURABILITY=none`, alternating.
 * Not part of run-all: `npm run build && node dist/test/bench/azurite-journal.js`.
 *
 * Knobs (env): BENCH_JOURNAL_OPS (500), BENCH_JOURNAL_CONCURRENCY (32), BENCH_JOURNAL_ROUNDS (2).
 */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { startServices } from '@openiom/local-functions-host';
import { envNumber } from './support';

const ops = envNumber('BENCH_JOURNAL_OPS', 500);
const concurrency = envNumber('BENCH_JOURNAL_CONCURRENCY', 32);
const rounds = envNumber('BENCH_JOURNAL_ROUNDS', 2);

type Mode = 'journal' | 'none';
type Workload = 'queue sends' | 'table upserts' | 'table upserts, one at a time';

async function pool(count: number, width: number, task: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return performance.now() - started;
}

async function measure(mode: Mode, round: number): Promise<Record<Workload, number>> {
  process.env.FUNCTIONS_HOST_DURABILITY = mode;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-azurite-journal-'));
  const services = await startServices({ dataDir, storage: true, cosmos: false, restartOnCrash: false });
  try {
    const connection = services.storageConnectionString!;
    const queue = new QueueClient(connection, `bench-${round}`);
    await queue.create();
    const table = TableClient.fromConnectionString(connection, `bench${round}`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
    const upsert = (i: number, prefix: string): Promise<unknown> =>
      table.upsertEntity({ partitionKey: 'p', rowKey: `${prefix}-${i}`, value: i }, 'Replace');
    return {
      'queue sends': await pool(ops, concurrency, (i) => queue.sendMessage(`message ${i}`)),
      'table upserts': await pool(ops, concurrency, (i) => upsert(i, 'wide')),
      'table upserts, one at a time': await pool(ops, 1, (i) => upsert(i, 'serial')),
    };
  } finally {
    await services.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const elapsed: Record<Mode, Array<Record<Workload, number>>> = { journal: [], none: [] };
  for (let round = 0; round < rounds; round++) {
    for (const mode of ['journal', 'none'] as const) elapsed[mode].push(await measure(mode, round));
  }
  console.log(
    `${ops} operations per workload, ${concurrency} at a time unless noted; mean of ${rounds} rounds`
  );
  const workloads = Object.keys(elapsed.journal[0]!) as Workload[];
  for (const workload of workloads) {
    const rate = (mode: Mode): number => {
      const meanMs = elapsed[mode].reduce((sum, run) => sum + run[workload], 0) / rounds;
      return ops / (meanMs / 1000);
    };
    const [withJournal, without] = [rate('journal'), rate('none')];
    console.log(
      `${workload.padEnd(30)} journal ${withJournal.toFixed(0).padStart(6)}/s   none ${without
        .toFixed(0)
        .padStart(6)}/s   (${((withJournal / without) * 100).toFixed(0)}%)`
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
