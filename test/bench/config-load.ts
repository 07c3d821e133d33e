/**
 * Configuration bundles (docs/configuration.md): one instance configured with 500 documents through
 * its API (sources, mapping groups, email templates, published policies), exported, imported into an
 * empty instance (dry run, then for real), exported there again (byte-identical) and imported a
 * second time (nothing to write). Baseline of the same run: the same documents read and upserted
 * through the Cosmos SDK directly, one after the other as the import writes them, into a third
 * database. Alone with BENCH_ONLY=config, writing test/bench/results/config-YYYY-MM-DD.{json,md}.
 *
 * Knobs (env): BENCH_CONFIG_DOCUMENTS (500; split 2:1:1:1 between sources, mapping groups, templates
 * and policies).
 */
import { CosmosClient } from '@azure/cosmos';
import type { EmbeddedServices } from '@openiom/local-functions-host';
import { randomBytes } from 'crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import path from 'path';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { describeMachine, type Machine } from './report';
import { envNumber, repoRoot, startLocalHost, type Child } from './support';

export interface ConfigFigures {
  documents: number;
  bundleBytes: number;
  seconds: {
    exportSource: number;
    importDryRun: number;
    importEmpty: number;
    exportTarget: number;
    importAgain: number;
    rawReadAndUpsert: number;
  };
  /** The documents the baseline read and upserted (a policy's versions are documents of their own). */
  rawDocuments: number;
  byteIdentical: boolean;
  secondImportUnchanged: number;
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function call(
  host: Child,
  key: string,
  method: string,
  route: string,
  body?: unknown
): Promise<string> {
  const res = await fetch(`${host.url}${route}`, {
    method,
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 500)}`);
  return text;
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    })
  );
}

/** The configuration documents, made through the API as a user would. */
async function configure(host: Child, key: string, documents: number): Promise<void> {
  const fifth = Math.floor(documents / 5);
  const pad = (i: number) => String(i).padStart(4, '0');
  const zips = ['75201', '98101', '10001', '60601', '94103', '30301', '02108', '80202'];
  const puts: [string, string, unknown][] = [];
  for (let i = 0; i < documents - 3 * fifth; i++) {
    puts.push([
      'PUT',
      `/api/v1/sources/src-${pad(i)}`,
      {
        name: `Source ${i}`,
        type: i % 3 === 0 ? 'store' : 'warehouse',
        address: { postalCode: zips[i % zips.length], country: 'US' },
        online: true,
        priority: i + 1,
      },
    ]);
  }
  for (let i = 0; i < fifth; i++) {
    puts.push([
      'PUT',
      `/api/v1/mapping-groups/group-${pad(i)}`,
      {
        name: `Group ${i}`,
        mappings: Array.from({ length: 5 }, (_, j) => ({
          type: 'sku',
          external: `EXT-${i}-${j}`,
          internal: `sku-${i}-${j}`,
        })),
      },
    ]);
    puts.push([
      'PUT',
      `/api/v1/email-templates/template-${pad(i)}`,
      {
        subject: `Order {{order.externalId}} (${i})`,
        text: `Hello {{order.customer.name}}, template ${i}.`,
      },
    ]);
  }
  await inParallel(puts, 8, ([method, route, body]) => call(host, key, method, route, body));
  await inParallel(
    Array.from({ length: fifth }, (_, i) => `policy-${pad(i)}`),
    8,
    async (id) => {
      await call(host, key, 'POST', '/api/v1/policies', {
        id,
        name: id,
        kind: 'filter',
        entityType: 'order',
        criticality: 'information',
        rule: { path: 'currency', operator: 'equals', value: 'USD' },
      });
      await call(host, key, 'POST', `/api/v1/policies/${id}/publish`);
    }
  );
}

/** The baseline: every configuration document of one database read and upserted into another, one at a time. */
async function rawReadAndUpsert(
  client: CosmosClient,
  from: string,
  to: string
): Promise<{ seconds: number; documents: number }> {
  const target = await ensureDatabaseAndContainers(client, to);
  const started = process.hrtime.bigint();
  let documents = 0;
  for (const [container, sql] of [
    ['config', 'SELECT * FROM c'],
    ['catalog', "SELECT * FROM c WHERE c.type = 'source'"],
  ] as const) {
    const { resources } = await client
      .database(from)
      .container(container)
      .items.query<Record<string, unknown>>(sql)
      .fetchAll();
    for (const { _rid, _self, _etag, _ts, _attachments, ...doc } of resources) {
      void [_rid, _self, _etag, _ts, _attachments];
      await target.containers[container].items.upsert(doc);
      documents++;
    }
  }
  return { seconds: seconds(started), documents };
}

export async function runConfigStage(
  services: EmbeddedServices,
  dataDir: string,
  log: (line: string) => void
): Promise<ConfigFigures> {
  const documents = envNumber('BENCH_CONFIG_DOCUMENTS', 500);
  const run = randomBytes(4).toString('hex');
  const key = randomBytes(16).toString('hex');
  const database = { a: `bench-config-a-${run}`, b: `bench-config-b-${run}`, raw: `bench-config-raw-${run}` };
  const env = (db: string) => ({
    COSMOS_DATABASE: db,
    OPENIOM_SEED_DEMO: 'false',
    OPENIOM_SEED_JOURNEYS: 'false',
  });
  const dir = (name: string) => mkdtempSync(path.join(dataDir, name));
  const [a, b] = await Promise.all([
    startLocalHost('host-config-a', services, dir('config-a-'), { key, env: env(database.a) }),
    startLocalHost('host-config-b', services, dir('config-b-'), { key, env: env(database.b) }),
  ]);
  try {
    log(`config: ${documents} documents through the API`);
    await configure(a, key, documents);

    log('config: export, dry run, import, export, import again');
    let started = process.hrtime.bigint();
    const exported = await call(a, key, 'GET', '/api/v1/config/export');
    const exportSource = seconds(started);
    started = process.hrtime.bigint();
    await call(b, key, 'POST', '/api/v1/config/import?dryRun=true', exported);
    const importDryRun = seconds(started);
    started = process.hrtime.bigint();
    await call(b, key, 'POST', '/api/v1/config/import', exported);
    const importEmpty = seconds(started);
    started = process.hrtime.bigint();
    const again = await call(b, key, 'GET', '/api/v1/config/export');
    const exportTarget = seconds(started);
    started = process.hrtime.bigint();
    const second = JSON.parse(await call(b, key, 'POST', '/api/v1/config/import', exported)) as {
      unchanged: number;
    };
    const importAgain = seconds(started);
    const items = (JSON.parse(exported) as { items: unknown[] }).items.length;
    if (items !== documents) throw new Error(`exported ${items} items, configured ${documents}`);

    log('config: baseline, the same documents read and upserted through the Cosmos SDK');
    const client = createCosmosClient({ endpoint: services.cosmosEndpoint, key: services.cosmosKey });
    const raw = await rawReadAndUpsert(client, database.a, database.raw);
    client.dispose();
    return {
      documents,
      bundleBytes: Buffer.byteLength(exported),
      seconds: {
        exportSource,
        importDryRun,
        importEmpty,
        exportTarget,
        importAgain,
        rawReadAndUpsert: raw.seconds,
      },
      rawDocuments: raw.documents,
      byteIdentical: again === exported,
      secondImportUnchanged: second.unchanged,
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

export function configMarkdown(date: string, machine: Machine, f: ConfigFigures): string {
  const s = (value: number) => value.toFixed(2);
  return [
    `# Configuration bundles, ${date.slice(0, 10)}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cpuCount} cores, Node ${machine.node}. ${f.documents} configuration documents`,
    `(sources, mapping groups, email templates, published policies), a bundle of ${Math.round(f.bundleBytes / 1024)} KiB.`,
    '',
    '| measure | seconds |',
    '| --- | --- |',
    `| export (GET /api/v1/config/export) | ${s(f.seconds.exportSource)} |`,
    `| import, dry run, into an empty instance | ${s(f.seconds.importDryRun)} |`,
    `| import into an empty instance | ${s(f.seconds.importEmpty)} |`,
    `| export of the imported instance | ${s(f.seconds.exportTarget)} |`,
    `| the same import again (nothing to write) | ${s(f.seconds.importAgain)} |`,
    `| baseline: the ${f.rawDocuments} stored documents read and upserted one by one through the Cosmos SDK | ${s(f.seconds.rawReadAndUpsert)} |`,
    '',
    `Second export byte-identical to the first: ${f.byteIdentical ? 'yes' : 'NO'}; the second import found ${f.secondImportUnchanged} items unchanged.`,
    '',
    'The import writes each document through its own use case (reads, checks, and for a policy a create',
    'and a publish), one after the other; the baseline only copies the stored documents.',
    ...(process.env.BENCH_NOTE ? ['', process.env.BENCH_NOTE] : []),
    '',
  ].join('\n');
}

export async function runConfigOnly(
  services: EmbeddedServices,
  dataDir: string,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const config = await runConfigStage(services, dataDir, log);
  const results = { date: date.toISOString(), machine: describeMachine(), config };
  const markdown = configMarkdown(results.date, results.machine, config);
  const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `config-${results.date.slice(0, 10)}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  return config.byteIdentical && config.secondImportUnchanged === config.documents ? 0 : 1;
}
