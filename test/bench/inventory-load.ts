/**
 * The inventory stage of `npm run bench`: the local host running the real app, loaded over
 * HTTP by closed-loop clients (each sends its next request when the previous answer is in), next to
 * the raw point-write rate of the same embedded Cosmos server in the same run:
 *
 *  0. Baseline: upserts of new documents straight to the Cosmos server with @azure/cosmos, `clients`
 *     concurrent writers (what one reservation at least costs: one write).
 *  1. Query: `POST /api/v1/inventory/query` of 100 SKUs × 50 sources (5,000 rows), latency p50/p99.
 *  2. Hot SKU: `clients` concurrent clients reserving 1 unit of one SKU at one source (stock that
 *     does not run out), then a check that softReserved equals the reservations answered 201.
 *  3. Exhaustion: the same clients against a SKU with `exhaustUnits` available, until every client
 *     has had a 409: exactly `exhaustUnits` must be reserved (zero oversell, zero undersell).
 *  4. Spread: `clients` clients reserving 1 unit of a random one of 1,000 SKUs.
 *  5. Bulk change events: `POST /api/v1/inventory/onhand/bulk` with 512 deltas per call over 100
 *     SKUs × 50 sources, 4 concurrent callers; events applied per second.
 *  6. In process (no HTTP), the app's reserveInventory on one hot row: every client its own
 *     reservation queue (pure optimistic concurrency: each write an ETag race, as without group
 *     commit) against one shared queue (group commit). This is the before/after of the group commit.
 *
 * Knobs (env): BENCH_INVENTORY_SECONDS (10, per load phase), BENCH_INVENTORY_CLIENTS (50),
 * BENCH_INVENTORY_QUERIES (200), BENCH_INVENTORY_EXHAUST_UNITS (2000). BENCH_ONLY=inventory runs this
 * stage alone and writes test/bench/results/inventory-YYYY-MM-DD.{json,md}.
 */
import { randomBytes, randomUUID } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import http from 'http';
import path from 'path';
import { performance } from 'perf_hooks';
import type { EmbeddedServices } from '@openiom/local-functions-host';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { CosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store';
import { CosmosProductRepository } from '../../shared/adapters/cosmos/product-repository';
import { CosmosSourceRepository } from '../../shared/adapters/cosmos/source-repository';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import type { InventoryDeps } from '../../shared/ports/inventory-requests';
import { InventoryReservationQueue } from '../../shared/app/inventory/inventory-reservation-queue';
import { reserveInventory } from '../../shared/app/inventory/reserve-inventory';
import { defaultMeasureDefinitions } from '../../shared/domain/inventory/measures/measures';
import { compileInventoryValidators } from '../../shared/schemas/inventory.schema';
import { inventoryChecks, inventoryMarkdown, inventoryOnlyMarkdown } from './inventory-report';
import { describeMachine } from './report';
import { envNumber, percentile, repoRoot, Samples, startLocalHost } from './support';

export interface InventoryLoadSettings {
  seconds: number;
  clients: number;
  queries: number;
  exhaustUnits: number;
  sources: number;
  spreadSkus: number;
  querySkus: number;
  bulkEventsPerCall: number;
  bulkCallers: number;
}

/** A closed-loop run: answers by kind, throughput of the expected answers, latency percentiles. */
export interface LoopFigures {
  name: string;
  clients: number;
  seconds: number;
  /** Answers with the expected status. */
  ok: number;
  okPerSec: number;
  /** Other answers by status (409s of a run that is meant to succeed, 5xx, ...). */
  other: Record<string, number>;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface InventoryFigures {
  settings: InventoryLoadSettings;
  rawWrites: LoopFigures;
  query: LoopFigures & { rows: number; items: number };
  hot: LoopFigures & { softReserved: number; oversold: number };
  exhaust: { units: number; reserved: number; softReserved: number; refused: number; seconds: number };
  spread: LoopFigures & { softReserved: number; oversold: number };
  bulk: LoopFigures & { eventsPerSec: number; eventsApplied: number };
  inProcess: { optimistic: LoopFigures; groupCommit: LoopFigures; oversold: number };
}

export function inventorySettingsFromEnv(): InventoryLoadSettings {
  return {
    seconds: envNumber('BENCH_INVENTORY_SECONDS', 10),
    clients: envNumber('BENCH_INVENTORY_CLIENTS', 50),
    queries: envNumber('BENCH_INVENTORY_QUERIES', 200),
    exhaustUnits: envNumber('BENCH_INVENTORY_EXHAUST_UNITS', 2000),
    sources: 50,
    spreadSkus: 1000,
    querySkus: 100,
    bulkEventsPerCall: 512,
    bulkCallers: 4,
  };
}

interface Answer {
  status: number;
  body: string;
}

function send(
  agent: http.Agent,
  base: URL,
  method: string,
  route: string,
  headers: Record<string, string>,
  body?: unknown
): Promise<Answer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path: route,
        headers:
          text === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(text)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      }
    );
    const timer = setTimeout(() => request.destroy(new Error('timeout after 30 s')), 30_000);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(text);
  });
}

/**
 * `clients` loops, each running `once(client, i)` back to back until `seconds` have passed (or
 * `until()` says stop). `once` resolves to the answer's status (or 'ok' / another label in process).
 */
async function closedLoop(
  name: string,
  clients: number,
  seconds: number,
  expected: number | string,
  once: (client: number, i: number) => Promise<number | string>,
  until: () => boolean = () => false
): Promise<LoopFigures> {
  const latencies = new Samples();
  const other: Record<string, number> = {};
  let errors = 0;
  let ok = 0;
  let issued = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline && !until()) {
        const i = issued++;
        const began = performance.now();
        try {
          const status = await once(client, i);
          if (status === expected) {
            ok++;
            latencies.push(performance.now() - began);
          } else {
            other[status] = (other[status] ?? 0) + 1;
          }
        } catch {
          errors++;
        }
      }
    })
  );
  const elapsed = (performance.now() - start) / 1000;
  const sorted = latencies.sorted();
  return {
    name,
    clients,
    seconds: elapsed,
    ok,
    okPerSec: ok / elapsed,
    other,
    errors,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

/** The raw rate: upserts of new documents, `clients` writers, to a container of its own. */
async function measureRawWrites(
  services: EmbeddedServices,
  settings: InventoryLoadSettings
): Promise<LoopFigures> {
  const client = createCosmosClient({ endpoint: services.cosmosEndpoint, key: services.cosmosKey });
  try {
    const { database } = await client.databases.createIfNotExists({ id: `bench-raw-${randomUUID()}` });
    const { container } = await database.containers.createIfNotExists({
      id: 'points',
      partitionKey: { paths: ['/sku'] },
    });
    const run = () =>
      closedLoop(
        'raw Cosmos point write (upsert)',
        settings.clients,
        settings.seconds,
        'ok',
        async (_c, i) => {
          await container.items.upsert({
            id: `p${i}`,
            sku: `s${i % settings.spreadSkus}`,
            onhand: i,
            type: 'raw',
          });
          return 'ok';
        }
      );
    await closedLoop('warm-up', settings.clients, 1, 'ok', async (_c, i) => {
      await container.items.upsert({ id: `w${i}`, sku: `s${i % 10}`, type: 'raw' });
      return 'ok';
    });
    const figures = await run();
    await database.delete().catch(() => undefined);
    return figures;
  } finally {
    client.dispose();
  }
}

/** Runs `work` over items with at most `concurrency` in flight. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    })
  );
}

export async function runInventoryStage(
  services: EmbeddedServices,
  dataDir: string,
  log: (line: string) => void
): Promise<InventoryFigures> {
  const settings = inventorySettingsFromEnv();
  const run = randomBytes(3).toString('hex');
  const sourceIds = Array.from({ length: settings.sources }, (_, i) => `bench-${run}-src-${i}`);
  const spreadSkus = Array.from({ length: settings.spreadSkus }, (_, i) => `bench-${run}-sku-${i}`);
  const querySkus = spreadSkus.slice(0, settings.querySkus);
  const hotSku = `bench-${run}-hot`;
  const exhaustSku = `bench-${run}-exhaust`;

  log(`inventory: raw Cosmos point writes, ${settings.clients} writers for ${settings.seconds} s`);
  const rawWrites = await measureRawWrites(services, settings);
  log(`inventory: raw ${Math.round(rawWrites.okPerSec)} writes/s`);

  const key = randomBytes(16).toString('hex');
  const host = await startLocalHost('host-real-app-inventory', services, dataDir, { key });
  const base = new URL(host.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.clients + 8 });
  const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
  const call = (method: string, route: string, body?: unknown) =>
    send(agent, base, method, route, headers, body);
  const expectOk = async (what: string, answer: Promise<Answer>, status = 200) => {
    const a = await answer;
    if (a.status !== status)
      throw new Error(`inventory setup: ${what} answered ${a.status} ${a.body.slice(0, 300)}`);
    return a;
  };
  const softReservedOf = async (skus: string[], sourceId: string) => {
    const a = await expectOk(
      'query',
      call('POST', '/api/v1/inventory/query', { skus, sourceIds: [sourceId], groupBy: 'source' })
    );
    const items = (JSON.parse(a.body) as { items: { measures: Record<string, number> }[] }).items;
    return items.reduce((sum, item) => sum + (item.measures.softReserved ?? 0), 0);
  };
  try {
    log(`inventory: setup, ${settings.sources} sources and ${settings.spreadSkus + 2} products`);
    await pool(sourceIds, 8, async (id) => {
      await expectOk(
        `PUT source ${id}`,
        call('PUT', `/api/v1/sources/${id}`, {
          name: id,
          type: 'warehouse',
          address: { postalCode: '98052', country: 'US' },
          location: { lat: 47.67, lon: -122.12 },
          online: true,
          safetyStock: 0,
        }),
        201
      );
    });
    await pool([hotSku, exhaustSku, ...spreadSkus], 16, async (sku) => {
      await expectOk(`PUT product ${sku}`, call('PUT', `/api/v1/products/${sku}`, { name: sku }), 201);
    });
    // 100 SKUs × 50 sources = 5,000 rows, by absolute set (no change-event proofs in the container yet).
    const rows = querySkus.flatMap((sku) =>
      sourceIds.map((sourceId) => ({ sku, sourceId, measure: 'onhand', quantity: 100 }))
    );
    for (let i = 0; i < rows.length; i += 500) {
      await expectOk('set', call('POST', '/api/v1/inventory/onhand/set', rows.slice(i, i + 500)));
    }
    const restSkus = spreadSkus.slice(settings.querySkus);
    const restRows = restSkus.map((sku) => ({
      sku,
      sourceId: sourceIds[0]!,
      measure: 'onhand',
      quantity: 1e6,
    }));
    for (let i = 0; i < restRows.length; i += 500) {
      await expectOk('set', call('POST', '/api/v1/inventory/onhand/set', restRows.slice(i, i + 500)));
    }
    await expectOk(
      'set hot',
      call('POST', '/api/v1/inventory/onhand/set', [
        { sku: hotSku, sourceId: sourceIds[0], measure: 'onhand', quantity: 1e9 },
        { sku: exhaustSku, sourceId: sourceIds[0], measure: 'onhand', quantity: settings.exhaustUnits },
      ])
    );

    log(
      `inventory: query of ${settings.querySkus} SKUs × ${settings.sources} sources, ${settings.queries} times`
    );
    let items = 0;
    const queryOnce = async () => {
      const a = await call('POST', '/api/v1/inventory/query', { skus: querySkus });
      if (a.status === 200) items = (JSON.parse(a.body) as { items: unknown[] }).items.length;
      return a.status;
    };
    await closedLoop('warm-up', 1, 2, 200, queryOnce);
    let queries = 0;
    const query = await closedLoop(
      'POST /api/v1/inventory/query, 100 SKUs × 50 sources',
      1,
      600,
      200,
      queryOnce,
      () => queries++ >= settings.queries
    );

    // Reservations: each 201 answer is one unit held.
    const reserveOnce = (sku: (i: number) => string) => async (_c: number, i: number) =>
      (
        await call('POST', '/api/v1/inventory/reserve', {
          id: `${run}-${i}-${randomUUID()}`,
          sku: sku(i),
          sourceId: sourceIds[0],
          quantity: 1,
        })
      ).status;
    log(`inventory: hot SKU, ${settings.clients} clients for ${settings.seconds} s`);
    await closedLoop(
      'warm-up',
      settings.clients,
      1,
      201,
      reserveOnce(() => hotSku)
    );
    const warmHeld = await softReservedOf([hotSku], sourceIds[0]!);
    const hotLoop = await closedLoop(
      `reserve 1 unit, one hot SKU, ${settings.clients} clients`,
      settings.clients,
      settings.seconds,
      201,
      reserveOnce(() => hotSku)
    );
    const hotHeld = (await softReservedOf([hotSku], sourceIds[0]!)) - warmHeld;
    log(`inventory: hot ${Math.round(hotLoop.okPerSec)} reservations/s`);

    log(`inventory: exhaustion of ${settings.exhaustUnits} units by ${settings.clients} clients`);
    let refusedCount = 0;
    const refusedBy = new Set<number>();
    const exhaustLoop = await closedLoop(
      'exhaust',
      settings.clients,
      600,
      201,
      async (client, i) => {
        const status = await reserveOnce(() => exhaustSku)(client, i);
        if (status === 409) {
          refusedCount++;
          refusedBy.add(client);
        }
        return status;
      },
      () => refusedBy.size >= settings.clients
    );
    const exhaust = {
      units: settings.exhaustUnits,
      reserved: exhaustLoop.ok,
      softReserved: await softReservedOf([exhaustSku], sourceIds[0]!),
      refused: refusedCount,
      seconds: exhaustLoop.seconds,
    };

    log(
      `inventory: spread over ${settings.spreadSkus} SKUs, ${settings.clients} clients for ${settings.seconds} s`
    );
    const spreadHeldBefore = await softReservedOf(spreadSkus, sourceIds[0]!);
    const spreadLoop = await closedLoop(
      `reserve 1 unit, ${settings.spreadSkus} SKUs spread, ${settings.clients} clients`,
      settings.clients,
      settings.seconds,
      201,
      reserveOnce(() => spreadSkus[Math.floor(Math.random() * spreadSkus.length)]!)
    );
    const spreadHeld = (await softReservedOf(spreadSkus, sourceIds[0]!)) - spreadHeldBefore;
    log(`inventory: spread ${Math.round(spreadLoop.okPerSec)} reservations/s`);

    log(
      `inventory: bulk change events, ${settings.bulkCallers} callers × ${settings.bulkEventsPerCall} events for ${settings.seconds} s`
    );
    let applied = 0;
    const bulkLoop = await closedLoop(
      `POST /onhand/bulk, ${settings.bulkEventsPerCall} events per call, ${settings.bulkCallers} callers`,
      settings.bulkCallers,
      settings.seconds,
      200,
      async (_c, i) => {
        const events = Array.from({ length: settings.bulkEventsPerCall }, (_, j) => ({
          id: `${run}-b${i}-${j}`,
          sku: querySkus[(i * 7 + j) % querySkus.length],
          sourceId: sourceIds[j % sourceIds.length],
          measure: 'onhand',
          quantity: 1,
        }));
        const a = await call('POST', '/api/v1/inventory/onhand/bulk', events);
        if (a.status === 200) applied += (JSON.parse(a.body) as { applied: number }).applied;
        return a.status;
      }
    );
    const bulk = { ...bulkLoop, eventsApplied: applied, eventsPerSec: applied / bulkLoop.seconds };
    log(`inventory: bulk ${Math.round(bulk.eventsPerSec)} events/s`);
    const inProcess = await measureInProcess(services, settings, log);
    return {
      settings,
      rawWrites,
      query: { ...query, rows: settings.querySkus * settings.sources, items },
      hot: { ...hotLoop, softReserved: hotHeld, oversold: hotHeld - hotLoop.ok },
      exhaust,
      spread: { ...spreadLoop, softReserved: spreadHeld, oversold: spreadHeld - spreadLoop.ok },
      bulk,
      inProcess,
    };
  } catch (err) {
    // What the host logged last is usually why a call failed or hung.
    log(
      `inventory: the host's last log lines:\n${host.stdout().slice(-3000)}\n${host.stderr().slice(-3000)}`
    );
    throw err;
  } finally {
    agent.destroy();
    await host.stop();
  }
}

/** reserveInventory in this process: every client its own queue (optimistic) vs one shared queue. */
async function measureInProcess(
  services: EmbeddedServices,
  settings: InventoryLoadSettings,
  log: (line: string) => void
): Promise<InventoryFigures['inProcess']> {
  const client = createCosmosClient({ endpoint: services.cosmosEndpoint, key: services.cosmosKey });
  const databaseId = `bench-inventory-${randomUUID()}`;
  try {
    const { containers } = await ensureDatabaseAndContainers(client, databaseId);
    const clock = { now: () => new Date() };
    const at = clock.now().toISOString();
    await new CosmosProductRepository(containers.catalog, clock).create({
      sku: 'HOT',
      name: 'hot',
      createdAt: at,
      updatedAt: at,
    });
    await new CosmosSourceRepository(containers.catalog, clock).create({
      id: 'S',
      name: 'S',
      type: 'warehouse',
      address: { postalCode: '98052', country: 'US' },
      location: { lat: 47.67, lon: -122.12, geocoded: false },
      online: true,
      timeZone: 'UTC',
      safetyStock: 0,
      calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
      priority: 100,
      costs: {},
      acceptsReturns: false,
      createdAt: at,
      updatedAt: at,
    });
    const validators = compileInventoryValidators();
    const deps = (queue: InventoryReservationQueue): InventoryDeps => ({
      validators,
      store: new CosmosInventoryStore(containers.inventory, clock),
      sources: new CosmosSourceRepository(containers.catalog, clock),
      products: new CosmosProductRepository(containers.catalog, clock),
      clock,
      measures: defaultMeasureDefinitions,
      reservationQueue: queue,
    });
    const shared = deps(new InventoryReservationQueue());
    await applyInventoryChanges(shared, [
      { id: 'stock', sku: 'HOT', sourceId: 'S', measure: 'onhand', quantity: 1e9, mode: 'set' },
    ]);
    const once = (d: (c: number) => InventoryDeps) => async (c: number, i: number) => {
      try {
        await reserveInventory(d(c), { id: `${i}-${randomUUID()}`, sku: 'HOT', sourceId: 'S', quantity: 1 });
        return 'ok';
      } catch (err) {
        return (err as { code?: string }).code ?? 'error';
      }
    };
    const seconds = Math.max(3, settings.seconds / 2);
    log(`inventory: in process, optimistic (a queue per client), ${seconds} s`);
    const perClient = Array.from({ length: settings.clients }, () => deps(new InventoryReservationQueue()));
    const optimistic = await closedLoop(
      `in process, every client its own queue (optimistic ETag races)`,
      settings.clients,
      seconds,
      'ok',
      once((c) => perClient[c]!)
    );
    log(`inventory: in process, group commit (one queue), ${seconds} s`);
    const groupCommit = await closedLoop(
      `in process, one shared queue (group commit)`,
      settings.clients,
      seconds,
      'ok',
      once(() => shared)
    );
    const row = await shared.store.getRow({ sku: 'HOT', sourceId: 'S', dimensionsKey: '' });
    const held = row?.row.measures.softReserved ?? 0;
    return { optimistic, groupCommit, oversold: held - optimistic.ok - groupCommit.ok };
  } finally {
    await client
      .database(databaseId)
      .delete()
      .catch(() => undefined);
    client.dispose();
  }
}

/** `BENCH_ONLY=inventory`: writes test/bench/results/inventory-YYYY-MM-DD.{json,md}; returns the exit code. */
export async function runInventoryOnly(
  services: EmbeddedServices,
  dataDir: string,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const inventory = await runInventoryStage(services, dataDir, log);
  const checks = inventoryChecks(inventory);
  const results = { date: date.toISOString(), machine: describeMachine(), inventory, checks };
  // BENCH_NOTE: e.g. that the machine was shared with other work during the run.
  const markdown = inventoryOnlyMarkdown(
    results.date,
    results.machine,
    checks,
    inventoryMarkdown(inventory),
    process.env.BENCH_NOTE ?? ''
  );
  const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `inventory-${results.date.slice(0, 10)}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  const missed = checks.filter((c) => c.pass === false);
  if (missed.length > 0) log(`targets missed: ${missed.map((c) => c.measure).join('; ')}`);
  return missed.length > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0;
}
