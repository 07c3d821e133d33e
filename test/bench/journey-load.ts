/**
 * End to end on the local host: orders posted to `POST /api/v1/orders` at a constant rate, carried by
 * the default order journey (window 0) to their fulfillment orders. Measures the time from each POST
 * to its fulfillment order's creation (p50/p99), the rate sustained (orders whose FOs exist over the
 * time from the first POST to the last FO), orders lost or duplicated, and the storage calls per
 * order (Azurite and Cosmos requests counted by a pass-through proxy in front of each, also by kind of
 * call, so the results show where they go). An order still
 * without its fulfillment order when the drain ends counts as missing (late or lost). The engine's
 * own HelloSequence5 rate is measured in the same run (durable-load.ts) as the baseline.
 *
 * Knobs (env): BENCH_JOURNEY_RATE (orders/s, 25), BENCH_JOURNEY_SECONDS (60), BENCH_JOURNEY_DRAIN_SECONDS
 * (180: how long to wait after the last POST for the last FOs).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { startEmbeddedServices, type EmbeddedServices } from '@openiom/local-functions-host';
import { runDurableStage } from './durable-load';
import { describeMachine, type Machine } from './report';
import { envNumber, repoRoot, startLocalHost } from './support';

export interface JourneyFigures {
  offeredPerSec: number;
  seconds: number;
  posted: number;
  accepted: number;
  withFulfillmentOrders: number;
  /** Accepted orders without a fulfillment order when the drain ended (late or lost). */
  missing: number;
  duplicated: number;
  sustainedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  storageCallsPerOrder: { azurite: number; cosmos: number };
  /** Where the calls go: per kind of call, per accepted order, most first. */
  callsByKind: CallKind[];
  helloSequence5PerSec: number;
  target: { perSec: number; p99Ms: number; met: boolean };
}

/** What a proxied request is, for the breakdown of calls per order: one label per kind of call. */
type Classify = (req: http.IncomingMessage) => string;

/** A pass-through HTTP proxy that counts the requests it forwards, in total and by `classify`. */
async function countingProxy(
  target: URL,
  classify: Classify
): Promise<{ url: string; count: () => number; byKind: () => Map<string, number>; close: () => void }> {
  let count = 0;
  const byKind = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    count += 1;
    const kind = classify(req);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    byKind: () => new Map(byKind),
    close: () => {
      server.close();
      agent.destroy();
    },
  };
}

const header = (req: http.IncomingMessage, name: string) => String(req.headers[name] ?? '').toLowerCase();

/** Cosmos REST calls: method, resource kind (docs, colls, dbs, pkranges), container, operation. */
export function classifyCosmos(req: http.IncomingMessage): string {
  const method = req.method ?? '?';
  const parts = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean);
  // /dbs/{db}/colls/{coll}/docs/{id}: the kinds sit at even places, their ids after them.
  const kind = parts.length % 2 === 0 ? parts.at(-2) : parts.at(-1);
  const container = parts[2] === 'colls' ? (parts[3] ?? '') : '';
  const withId = parts.length % 2 === 0;
  let operation: string;
  if (kind === 'docs') {
    // Transactional batches are atomic; bulk requests (several independent operations) are not.
    if (header(req, 'x-ms-cosmos-is-batch-request') === 'true')
      operation = header(req, 'x-ms-cosmos-batch-atomic') === 'true' ? 'batch' : 'bulk';
    // The SDK asks the gateway for a query plan before each query: a call of its own.
    else if (header(req, 'x-ms-cosmos-is-query-plan-request') === 'true') operation = 'query plan';
    else if (header(req, 'x-ms-documentdb-isquery') === 'true') operation = 'query';
    else if (method === 'POST')
      operation = header(req, 'x-ms-documentdb-is-upsert') === 'true' ? 'upsert' : 'create';
    else if (method === 'GET')
      operation = withId ? 'read' : header(req, 'a-im') ? 'change feed' : 'read feed';
    else operation = { PUT: 'replace', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
    if (req.headers['if-match']) operation += ' if-match';
  } else {
    operation = withId || kind === 'pkranges' ? 'read' : method === 'GET' ? 'list' : 'create';
  }
  return [method, kind ?? 'account', container, operation].join(' · ');
}

/** Azurite calls: method, service, queue/container/table name, operation. */
function classifyStorage(service: string): Classify {
  return (req) => {
    const method = req.method ?? '?';
    const url = new URL(req.url ?? '/', 'http://x');
    // Path style: /{account}/{queue|container|table}/...; names of blobs and messages vary per order.
    const parts = url.pathname.split('/').filter(Boolean).slice(1);
    const name = (parts[0] ?? '').replace(/\(.*$/, '');
    const comp = url.searchParams.get('comp') ?? url.searchParams.get('restype');
    let operation: string;
    if (service === 'queue' && parts[1] === 'messages') {
      operation = url.searchParams.get('peekonly') === 'true' ? 'messages peek' : `messages ${method}`;
      if (parts[2]) operation += ' (one)';
    } else {
      operation =
        comp ??
        (parts.length > 1
          ? service === 'blob'
            ? 'blob'
            : 'entity'
          : service === 'table'
            ? 'table'
            : 'root');
    }
    return [method, service, name, operation].join(' · ');
  };
}

/** The storage connection string with each endpoint behind a counting proxy. */
async function proxiedStorage(connection: string) {
  const proxies: { count: () => number; byKind: () => Map<string, number>; close: () => void }[] = [];
  let proxied = connection;
  for (const [name, service] of [
    ['BlobEndpoint', 'blob'],
    ['QueueEndpoint', 'queue'],
    ['TableEndpoint', 'table'],
  ] as const) {
    const match = new RegExp(`${name}=(http://[^;]+)`).exec(connection);
    if (!match) continue;
    const endpoint = new URL(match[1]!);
    const proxy = await countingProxy(endpoint, classifyStorage(service));
    proxies.push(proxy);
    proxied = proxied.replace(match[1]!, `${proxy.url}${endpoint.pathname.replace(/\/$/, '')}`);
  }
  return {
    connection: proxied,
    count: () => proxies.reduce((n, p) => n + p.count(), 0),
    byKind: () => new Map(proxies.flatMap((p) => [...p.byKind()])),
    close: () => proxies.forEach((p) => p.close()),
  };
}

export interface CallKind {
  store: 'cosmos' | 'azurite';
  kind: string;
  perOrder: number;
}

/** Calls made between two snapshots, per accepted order, most first. */
function callsPerOrder(
  store: CallKind['store'],
  before: Map<string, number>,
  after: Map<string, number>,
  orders: number
): CallKind[] {
  return [...after]
    .map(([kind, n]) => ({ store, kind, perOrder: (n - (before.get(kind) ?? 0)) / Math.max(1, orders) }))
    .filter((k) => k.perOrder > 0);
}

/** Waits until `count` stays the same for 2 s (or `timeoutMs` passed). */
async function settled(count: () => number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let last = count(); Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (count() === last) return;
    last = count();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runJourneyStage(
  log: (line: string) => void,
  helloSequence5PerSec: number
): Promise<JourneyFigures> {
  const rate = envNumber('BENCH_JOURNEY_RATE', 25);
  const seconds = envNumber('BENCH_JOURNEY_SECONDS', 60);
  const drainSeconds = envNumber('BENCH_JOURNEY_DRAIN_SECONDS', 180);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-bench-journeys-'));
  const services = await startEmbeddedServices({ dataDir: path.join(dataDir, 'services') });
  const storage = await proxiedStorage(services.storageConnectionString);
  const cosmos = await countingProxy(new URL(services.cosmosEndpoint), classifyCosmos);
  const key = randomBytes(16).toString('hex');
  const viaProxies: EmbeddedServices = {
    ...services,
    storageConnectionString: storage.connection,
    cosmosEndpoint: `${cosmos.url}/`,
  };
  const host = await startLocalHost('host-journeys', viaProxies, path.join(dataDir, 'host'), { key });
  const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${host.url}${route}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  try {
    await api('PUT', '/api/v1/products/BENCH-1', { name: 'Bench item' });
    await api('POST', '/api/v1/inventory/onhand/set', [
      { sku: 'BENCH-1', sourceId: 'NYC-DC', measure: 'onhand', quantity: 1_000_000 },
      { sku: 'BENCH-1', sourceId: 'CHI-DC', measure: 'onhand', quantity: 1_000_000 },
    ]);
    // Warm the path once (first journey start, first FO), so the window measures the steady state.
    const warm = (await api('POST', '/api/v1/orders', order('warm', 0))).orderId as string;
    await waitForFulfillmentOrders([warm], 60_000);

    const posted = new Map<string, number>();
    const storageBefore = storage.count();
    const cosmosBefore = cosmos.count();
    const storageKindsBefore = storage.byKind();
    const cosmosKindsBefore = cosmos.byKind();
    log(`journeys: ${rate} orders/s for ${seconds} s through the default journey`);
    const started = Date.now();
    const total = Math.round(rate * seconds);
    const inFlight: Promise<void>[] = [];
    let accepted = 0;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const at = Date.now();
      inFlight.push(
        api('POST', '/api/v1/orders', order(`b${i}`, i)).then(
          (answer) => {
            posted.set(answer.orderId as string, at);
            accepted += 1;
          },
          (err: unknown) => log(`journeys: POST failed: ${String(err)}`)
        )
      );
    }
    await Promise.all(inFlight);
    log(`journeys: ${accepted} of ${total} accepted; waiting for their fulfillment orders`);
    const created = await waitForFulfillmentOrders([...posted.keys()], drainSeconds * 1000);
    // The orders go on past their fulfillment orders (sending them): count their calls too.
    await settled(cosmos.count, 60_000);
    const latencies: number[] = [];
    let duplicated = 0;
    let lastFo = started;
    for (const [orderId, at] of posted) {
      const fos = created.get(orderId) ?? [];
      if (fos.length > 1) duplicated += 1;
      if (fos.length === 0) continue;
      const first = Math.min(...fos);
      latencies.push(first - at);
      lastFo = Math.max(lastFo, first);
    }
    latencies.sort((a, b) => a - b);
    const withFos = latencies.length;
    const figures: JourneyFigures = {
      offeredPerSec: rate,
      seconds,
      posted: total,
      accepted,
      withFulfillmentOrders: withFos,
      missing: accepted - withFos,
      duplicated,
      sustainedPerSec: withFos / ((lastFo - started) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1) ?? NaN,
      storageCallsPerOrder: {
        azurite: (storage.count() - storageBefore) / Math.max(1, accepted),
        cosmos: (cosmos.count() - cosmosBefore) / Math.max(1, accepted),
      },
      callsByKind: [
        ...callsPerOrder('cosmos', cosmosKindsBefore, cosmos.byKind(), accepted),
        ...callsPerOrder('azurite', storageKindsBefore, storage.byKind(), accepted),
      ].sort((a, b) => b.perOrder - a.perOrder),
      helloSequence5PerSec,
      target: { perSec: 25, p99Ms: 2000, met: false },
    };
    figures.target.met =
      figures.missing === 0 &&
      figures.duplicated === 0 &&
      figures.sustainedPerSec >= 25 &&
      figures.p99Ms < 2000;
    return figures;
  } finally {
    await host.stop();
    storage.close();
    cosmos.close();
    await services.stop();
  }

  /** Each order's FO creation times (ms), once every order has one or the time is up. */
  async function waitForFulfillmentOrders(
    orderIds: string[],
    timeoutMs: number
  ): Promise<Map<string, number[]>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const byOrder = new Map<string, number[]>();
      let continuationToken: string | undefined;
      do {
        const query = new URLSearchParams({
          top: '500',
          ...(continuationToken ? { continuationToken } : {}),
        });
        const page = await api('GET', `/api/v1/fulfillment-orders?${query.toString()}`);
        for (const fo of page.items as { orderIds: string[]; createdAt: string }[]) {
          for (const orderId of fo.orderIds) {
            const list = byOrder.get(orderId) ?? [];
            list.push(Date.parse(fo.createdAt));
            byOrder.set(orderId, list);
          }
        }
        continuationToken = page.continuationToken as string | undefined;
      } while (continuationToken);
      const missing = orderIds.filter((id) => !byOrder.has(id)).length;
      if (missing === 0 || Date.now() > deadline) return byOrder;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

function order(externalId: string, i: number) {
  return {
    externalId,
    currency: 'USD',
    customer: { email: `bench-${i}@example.com` },
    shipTo: { postalCode: i % 2 === 0 ? '10001' : '60601', country: 'US' },
    lines: [{ sku: 'BENCH-1', quantity: 1, unitPrice: 1000 }],
  };
}

export function journeyMarkdown(date: string, machine: Machine, j: JourneyFigures): string {
  const ms = (n: number) => `${Math.round(n)} ms`;
  return [
    `# End-to-end journeys, ${date.slice(0, 10)}`,
    '',
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}`,
    '',
    '| measure | value |',
    '|---|---|',
    `| offered | ${j.offeredPerSec} orders/s for ${j.seconds} s (${j.posted} orders) |`,
    `| accepted (202) | ${j.accepted} |`,
    `| reached fulfillment orders by the end of the drain | ${j.withFulfillmentOrders} (missing ${j.missing}, duplicated ${j.duplicated}) |`,
    `| sustained | ${j.sustainedPerSec.toFixed(1)} orders/s |`,
    `| POST → fulfillment orders created | p50 ${ms(j.p50Ms)}, p99 ${ms(j.p99Ms)}, max ${ms(j.maxMs)} |`,
    `| storage calls per order | Azurite ${j.storageCallsPerOrder.azurite.toFixed(1)}, Cosmos ${j.storageCallsPerOrder.cosmos.toFixed(1)} |`,
    `| baseline: HelloSequence5, same run | ${j.helloSequence5PerSec.toFixed(1)} orchestrations/s |`,
    `| target (≥ 25 orders/s, p99 < 2 s, none lost or duplicated) | ${j.target.met ? 'met' : 'missed'} |`,
    '',
    'Storage calls per order by kind (top 20), counted once Cosmos calls stopped (the orders go on past their',
    "fulfillment orders); the drain's polling for fulfillment orders and idle queue polling included:",
    '',
    '| store | method · resource · container/queue · operation | per order |',
    '|---|---|---|',
    ...j.callsByKind.slice(0, 20).map((k) => `| ${k.store} | ${k.kind} | ${k.perOrder.toFixed(2)} |`),
    '',
  ].join('\n');
}

/** `BENCH_ONLY=journeys`: HelloSequence5 as the baseline, then the end-to-end stage. */
export async function runJourneysOnly(
  services: EmbeddedServices,
  dataDir: string,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const durable = await runDurableStage(services, dataDir, log);
  const figures = await runJourneyStage(log, durable.sequence.orchestrationsPerSec);
  const results = { date: date.toISOString(), machine: describeMachine(), journeys: figures };
  const markdown = journeyMarkdown(results.date, results.machine, figures);
  const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `journeys-${results.date.slice(0, 10)}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  process.stdout.write(`${markdown}\nWritten: ${path.relative(repoRoot, base)}.{json,md}\n`);
  return !figures.target.met && process.env.BENCH_STRICT === '1' ? 1 : 0;
}
