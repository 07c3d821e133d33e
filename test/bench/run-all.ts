/**
 * `npm run bench`: the local host against baselines measured in the same run (docs/architecture.md).
 *
 *  1. HTTP: a bare Node http server (child process) vs the host serving the bench app's `ping` (no I/O)
 *     and the real app's `/api/health` (pings Azurite + Cosmos), all with the same autocannon settings.
 *  2. Queue: a raw receive/delete loop on Azurite (child process) vs the host's queue trigger, each
 *     draining the same pre-filled queue.
 *
 * Azurite and the Cosmos server are started once (temp data dir) and shared. Prints a table and
 * writes it as JSON and Markdown to test/bench/results/local-host-YYYY-MM-DD.{json,md}.
 *
 * Knobs (env): BENCH_HTTP_SECONDS (10), BENCH_HTTP_WARMUP_SECONDS (2), BENCH_HTTP_CONNECTIONS (10),
 * BENCH_QUEUE_MESSAGES (2000), BENCH_QUEUE_ROUNDS (3), BENCH_HOST_CPU_PROF (a directory: run the
 * host children with --cpu-prof there), BENCH_STRICT=1 (exit 1 when a target is missed).
 *
 * BENCH_ONLY=http runs stage 1 alone, writing test/bench/results/local-host-YYYY-MM-DD-http.{json,md}.
 *
 * Durable stage (durable-load.ts, its knobs there): 3. the Durable Functions engine, HelloSequence5
 * and a fan-out of 1,000, against the same activity handlers called in-process. BENCH_ONLY=durable
 * runs that stage alone and writes test/bench/results/durable-YYYY-MM-DD.{json,md} instead.
 *
 * Intake and policy stages (intake-load.ts, their knobs there), after the durable one: 4. direct intake,
 * POST /api/v1/orders at a constant 200/s next to GET /api/health at the same rate, then a check that
 * every accepted order was created; 5. policy evaluation (policy-eval.ts), compiled vs uncompiled.
 * BENCH_ONLY=intake / BENCH_ONLY=policy run one alone, writing {intake,policy}-YYYY-MM-DD.{json,md}.
 *
 * Inventory stage (inventory-load.ts, its knobs there), last: reservations on a hot SKU and spread over
 * 1,000 SKUs, a 100 × 50 query, bulk change events, next to raw Cosmos point writes of the same run.
 * BENCH_ONLY=inventory runs it alone, writing inventory-YYYY-MM-DD.{json,md}. The optimizer stage
 * (fulfillment-optimizer.ts) runs last in a full run and alone with BENCH_ONLY=fulfillment, writing
 * fulfillment-YYYY-MM-DD.{json,md}.
 *
 * Journeys stage (journey-load.ts, its knobs there), after inventory: orders end to end through the
 * default journey to their fulfillment orders, next to the HelloSequence5 rate of stage 3.
 * BENCH_ONLY=journeys runs HelloSequence5 and it alone, writing journeys-YYYY-MM-DD.{json,md}.
 *
 * Providers stage (providers-load.ts, its knobs there), after the journeys: signed Shopify webhooks at a
 * constant 200/s next to GET /api/health at the same rate, each accepted delivery checked to become
 * exactly one order; then 10,000 orders polled from a local Shopify Admin server, next to a plain client
 * walking the same pages. BENCH_ONLY=providers runs it alone, writing providers-YYYY-MM-DD.{json,md}.
 *
 * Master-data stage (master-data-load.ts, its knobs there), after the providers: a 10,000-row product CSV
 * imported through the file-drop use case, next to raw Cosmos upserts of the same documents.
 * BENCH_ONLY=masterdata runs it alone, writing masterdata-YYYY-MM-DD.{json,md}.
 *
 * Service Bus stage (service-bus-load.ts, its knobs there): the local broker through the real client,
 * only alone: BENCH_ONLY=servicebus, writing servicebus-YYYY-MM-DD.{json,md}.
 *
 * Configuration stage (config-load.ts, its knobs there): 500 configuration documents exported and
 * imported into an empty instance, next to reading and upserting them through the Cosmos SDK. Last in
 * a full run and alone with BENCH_ONLY=config, writing config-YYYY-MM-DD.{json,md}.
 *
 * The stage to run alone may also be the first argument: `node dist/test/bench/run-all.js providers`.
 */
import { QueueClient } from '@azure/storage-queue';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { startEmbeddedServices, type EmbeddedServices } from '@openiom/local-functions-host';
import { measureHttp, type HttpFigures, type HttpLoadSettings } from './http-load';
import { measureHostQueue, measureRawQueue, type QueueLoadSettings } from './queue-load';
import { runDurableOnly, runDurableStage } from './durable-load';
import { durableChecks } from './durable-report';
import { runIntakeOnly, runIntakeStage, runPolicyOnly, runPolicyStage } from './intake-load';
import { runFulfillmentOnly } from './fulfillment-optimizer';
import { runServiceBusOnly } from './service-bus-load';
import { runConfigOnly } from './config-load';
import {
  masterDataChecks,
  masterDataMarkdown,
  runMasterDataOnly,
  runMasterDataStage,
  type MasterDataFigures,
} from './master-data-load';
import { journeyMarkdown, runJourneyStage, runJourneysOnly, type JourneyFigures } from './journey-load';
import { runInventoryOnly, runInventoryStage, type InventoryFigures } from './inventory-load';
import { inventoryChecks, inventoryMarkdown } from './inventory-report';
import { intakeChecks, policyChecks } from './intake-report';
import { runProvidersOnly, runProvidersStage, type ProvidersFigures } from './providers-load';
import { providersChecks, providersMarkdown } from './providers-report';
import { buildChecks, describeMachine, httpChecks, toMarkdown, type BenchResults } from './report';
import {
  distRoot,
  envNumber,
  repoRoot,
  startChild,
  startLocalHost,
  stopAllChildren,
  type Child,
} from './support';

const QUEUE_NAME = 'bench-noop';
/** The whole run is bounded: past this, everything is stopped and the run fails. */
const WATCHDOG_MS = 35 * 60_000;

const httpSettings: HttpLoadSettings = {
  connections: envNumber('BENCH_HTTP_CONNECTIONS', 10),
  warmupSeconds: envNumber('BENCH_HTTP_WARMUP_SECONDS', 2),
  durationSeconds: envNumber('BENCH_HTTP_SECONDS', 10),
  timeoutSeconds: 10,
  unloadedSeconds: envNumber('BENCH_HTTP_UNLOADED_SECONDS', 3),
};

const queueSettings: QueueLoadSettings = {
  messages: envNumber('BENCH_QUEUE_MESSAGES', 2000),
  warmupMessages: 300,
  rounds: envNumber('BENCH_QUEUE_ROUNDS', 3),
  enqueueConcurrency: 32,
  pollMs: 20,
  roundTimeoutMs: 120_000,
};
/** As test/fixtures/bench-app/host.json, so the raw loop runs with the host's concurrency. */
const queueConcurrency = { batchSize: 32, newBatchThreshold: 16, maxPollMs: 100 };

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Module-level so that the watchdog and signal handlers can stop them too. */
let services: EmbeddedServices | undefined;

async function main(): Promise<number> {
  const date = new Date();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-bench-'));
  try {
    // Policy only (BENCH_ONLY=policy): no services needed.
    const only = process.env.BENCH_ONLY || process.argv[2];
    if (only === 'policy') return runPolicyOnly(date, log);
    // Optimizer only (BENCH_ONLY=fulfillment, fulfillment-optimizer.ts): no services needed.
    if (only === 'fulfillment') return await runFulfillmentOnly(date, log);
    // Service Bus broker only (BENCH_ONLY=servicebus, service-bus-load.ts): starts its own broker.
    if (only === 'servicebus') return await runServiceBusOnly(date, log);
    log(`data dir ${dataDir}; starting Azurite and the Cosmos server`);
    services = await startEmbeddedServices({ dataDir, restartOnCrash: false });
    if (only === 'http') return await runHttpOnly(services, dataDir, date);
    // One stage alone (BENCH_ONLY=durable, intake, inventory, journeys or providers).
    if (only === 'durable') return await runDurableOnly(services, dataDir, date, log);
    if (only === 'journeys') return await runJourneysOnly(services, dataDir, date, log);
    if (only === 'intake') return await runIntakeOnly(services, dataDir, date, log);
    if (only === 'inventory') return await runInventoryOnly(services, dataDir, date, log);
    if (only === 'providers') return await runProvidersOnly(services, dataDir, date, log);
    if (only === 'config') return await runConfigOnly(services, dataDir, date, log);
    if (only === 'masterdata') return await runMasterDataOnly(services, date, log);
    if (only)
      throw new Error(
        `${only}: not a stage (http, durable, intake, policy, fulfillment, inventory, journeys, providers, masterdata, servicebus, config)`
      );
    const queue = new QueueClient(services.storageConnectionString, QUEUE_NAME);
    const poison = new QueueClient(services.storageConnectionString, `${QUEUE_NAME}-poison`);
    await queue.createIfNotExists();
    await queue.clearMessages();

    // 1a. HTTP baseline.
    const bareFigures = await measureBareHttp();

    // 2a. Queue baseline (before the bench host exists: it would compete for the queue).
    log('queue: raw receive/delete loop');
    const raw = await startChild({
      name: 'raw-queue-consumer',
      script: path.join(__dirname, 'raw-queue-consumer.js'),
      env: {
        AzureWebJobsStorage: services.storageConnectionString,
        BENCH_QUEUE: QUEUE_NAME,
        BENCH_BATCH_SIZE: String(queueConcurrency.batchSize),
        BENCH_NEW_BATCH_THRESHOLD: String(queueConcurrency.newBatchThreshold),
        BENCH_MAX_POLL_MS: String(queueConcurrency.maxPollMs),
      },
      ipc: true,
      ready: /(raw consumer ready)/,
      timeoutMs: 10_000,
    });
    const rawFigures = await measureRawQueue(raw, queue, queueSettings);
    await raw.stop();

    // 1b + 2b. The host with the bench app: HTTP ping, then its queue trigger.
    const benchHost = await benchAppHost(services, dataDir);
    const pingFigures = await measurePing(benchHost);
    log('host (bench app): queue trigger');
    const hostQueueFigures = await measureHostQueue(benchHost, queue, poison, queueSettings);
    await benchHost.stop();

    // 1c. The host with the real app: /api/health.
    const healthFigures = await measureHealthHttp(services, dataDir);

    // 3. Durable stage: the Durable Functions engine with the durable bench app (durable-load.ts).
    const durable = await runDurableStage(services, dataDir, log);

    // 4. Direct intake (real app), 5. policy evaluation (in process), 6. inventory (inventory-load.ts).
    const intake = await runIntakeStage(services, dataDir, log);
    const policy = runPolicyStage(log);
    const inventory = await runInventoryStage(services, dataDir, log);
    // 7. End to end through the default journey (journey-load.ts), beside HelloSequence5 of stage 3.
    const journeys = await runJourneyStage(log, durable.sequence.orchestrationsPerSec);
    // 8. Orders from a provider: Shopify webhooks and polling (providers-load.ts).
    const providers = await runProvidersStage(services, dataDir, log);
    // 9. Master data: a 10,000-row product file imported, next to raw upserts (master-data-load.ts).
    const masterdata = await runMasterDataStage(services, log);

    const http = { bare: bareFigures, hostPing: pingFigures, hostHealth: healthFigures };
    const queueFigures = { raw: rawFigures, host: hostQueueFigures };
    const results: BenchResults & {
      inventory?: InventoryFigures;
      journeys?: JourneyFigures;
      providers?: ProvidersFigures;
      masterdata?: MasterDataFigures;
    } = {
      date: date.toISOString(),
      machine: describeMachine(),
      settings: {
        http: httpSettings,
        queue: {
          ...queueSettings,
          batchSize: queueConcurrency.batchSize,
          newBatchThreshold: queueConcurrency.newBatchThreshold,
        },
      },
      http,
      queue: queueFigures,
      checks: [
        ...buildChecks(http, queueFigures),
        ...durableChecks(durable),
        ...intakeChecks(intake),
        ...policyChecks(policy),
        ...inventoryChecks(inventory),
        ...providersChecks(providers),
        ...masterDataChecks(masterdata),
      ],
      durable,
      intake,
      policy,
      inventory,
      journeys,
      providers,
      masterdata,
    };

    const markdown = [
      toMarkdown(results),
      inventoryMarkdown(inventory),
      journeyMarkdown(results.date, results.machine, journeys),
      providersMarkdown(providers),
      masterDataMarkdown(masterdata),
    ].join('\n');
    const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const base = path.join(resultsDir, `local-host-${date.toISOString().slice(0, 10)}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${base}.md`, markdown);
    process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);

    const missed = results.checks.filter((c) => c.pass === false);
    if (missed.length > 0) log(`targets missed: ${missed.map((c) => c.measure).join('; ')}`);
    // Configuration bundles on the same services, in config-DATE.{json,md} beside these.
    const configCode = await runConfigOnly(services, dataDir, date, log);
    // The optimizer stage needs no services; it writes fulfillment-DATE.{json,md} beside these.
    await stopAllChildren();
    const fulfillmentCode = await runFulfillmentOnly(date, log);
    return (missed.length > 0 && process.env.BENCH_STRICT === '1') ||
      fulfillmentCode !== 0 ||
      configCode !== 0
      ? 1
      : 0;
  } finally {
    await stopAllChildren();
    await services?.stop().catch((err: unknown) => log(`stopping services failed: ${String(err)}`));
    services = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureBareHttp(): Promise<HttpFigures> {
  log('HTTP: bare Node http server');
  const bare = await startChild({
    name: 'bare-server',
    script: path.join(__dirname, 'bare-server.js'),
    env: { PORT: '0' },
    ready: /bare ready on (http:\/\/\S+)/,
    timeoutMs: 10_000,
  });
  const figures = await measureHttp(
    'bare Node http server',
    `${bare.url}/api/ping`,
    httpSettings,
    bare.process.pid
  );
  await bare.stop();
  return figures;
}

function benchAppHost(services: EmbeddedServices, dataDir: string): Promise<Child> {
  log('host (bench app): HTTP /api/ping');
  return startLocalHost('host-bench-app', services, dataDir, {
    app: {
      entry: path.join(distRoot, 'test', 'fixtures', 'bench-app', 'index.js'),
      hostJson: path.join(repoRoot, 'test', 'fixtures', 'bench-app', 'host.json'),
    },
  });
}

function measurePing(benchHost: Child): Promise<HttpFigures> {
  return measureHttp(
    'local host, bench app GET /api/ping',
    `${benchHost.url}/api/ping`,
    httpSettings,
    benchHost.process.pid
  );
}

async function measureHealthHttp(services: EmbeddedServices, dataDir: string): Promise<HttpFigures> {
  log('host (real app): HTTP /api/health');
  const appHost = await startLocalHost('host-real-app', services, dataDir);
  const figures = await measureHttp(
    'local host, real app GET /api/health',
    `${appHost.url}/api/health`,
    httpSettings,
    appHost.process.pid
  );
  await appHost.stop();
  return figures;
}

/** Stage 1 alone (BENCH_ONLY=http): bare Node, the bench app's ping, the real app's /api/health. */
async function runHttpOnly(services: EmbeddedServices, dataDir: string, date: Date): Promise<number> {
  const bare = await measureBareHttp();
  const benchHost = await benchAppHost(services, dataDir);
  const hostPing = await measurePing(benchHost);
  await benchHost.stop();
  const hostHealth = await measureHealthHttp(services, dataDir);
  const http = { bare, hostPing, hostHealth };
  const results: BenchResults = {
    date: date.toISOString(),
    machine: describeMachine(),
    settings: { http: httpSettings },
    http,
    checks: httpChecks(http),
  };
  const markdown = toMarkdown(results);
  const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `local-host-${date.toISOString().slice(0, 10)}-http`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  const missed = results.checks.filter((c) => c.pass === false);
  return missed.length > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0;
}

let exiting = false;
async function bail(why: string, code: number) {
  if (exiting) return;
  exiting = true;
  log(why);
  await stopAllChildren();
  await services?.stop().catch(() => undefined);
  process.exit(code);
}

const watchdog = setTimeout(
  () => void bail(`watchdog: still running after ${WATCHDOG_MS} ms`, 2),
  WATCHDOG_MS
);
watchdog.unref();
process.on('SIGINT', () => void bail('interrupted', 130));
process.on('SIGTERM', () => void bail('terminated', 143));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  }
);
