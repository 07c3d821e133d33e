/**
 * The providers stage of `npm run bench`: orders arriving from a provider, on the local host running
 * the real app as `npm start` starts it (own data dir, durability on), on the run's shared services.
 *
 *  1. Webhook intake: signed Shopify `orders/create` deliveries (the order fixture with `lines` lines,
 *     every delivery a distinct order id and webhook id, SKUs that exist as products) at a constant rate
 *     against `POST /api/providers/{instanceId}/webhook`, next to `GET /api/health` of the same host at
 *     the same rate for the same time (before it), with the paced open loop of intake-load.ts. Then
 *     every accepted delivery must become exactly one order: the wait probes
 *     `GET /api/v1/orders?externalId=` in acceptance order until all are seen, then one listing of
 *     every order counts them by externalId (an order of the instance's channel whose externalId was
 *     not sent, or two orders for one externalId, is a failure). The last order's `createdAt` gives the
 *     time until the last order existed.
 *  2. Polling: a local Shopify Admin server (test/support/provider-servers) holding `pollOrders` orders
 *     and an instance polling it (pageSize 250, pollIntervalSeconds 1, the app's 5 s timer). Measured:
 *     orders/s pulled (the server's log of the pages it answered) and orders/s created (until every
 *     order exists, counted as above). Baseline, same run: a plain client walking the same pages of a
 *     second server with the same orders (fetch, lossless parse and re-stringify of every order, as the
 *     poller does) — the rate the server and the parsing allow without queueing or creating anything.
 *     Both servers keep Shopify's Standard call limit (40-call bucket, 2/s leak), so both walks see it.
 *
 * Knobs (env): BENCH_PROVIDERS_RATE (200 req/s), BENCH_PROVIDERS_SECONDS (30), BENCH_PROVIDERS_WARMUP_SECONDS
 * (3), BENCH_PROVIDERS_LINES (5), BENCH_PROVIDERS_DRAIN_SECONDS (300, the wait for the webhook orders),
 * BENCH_PROVIDERS_POLL_ORDERS (10000), BENCH_PROVIDERS_POLL_DRAIN_SECONDS (600), BENCH_INTAKE_SOCKETS (64).
 * `node dist/test/bench/run-all.js providers` (or BENCH_ONLY=providers) runs this stage alone and writes
 * test/bench/results/providers-YYYY-MM-DD.{json,md}.
 */
import { randomBytes } from 'crypto';
import http from 'http';
import { isLosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { performance } from 'perf_hooks';
import type { EmbeddedServices } from '@openiom/local-functions-host';
import {
  shopifyJson,
  shopifyOrders,
  shopifyWebhookHeaders,
  startShopifyAdminServer,
  type ShopifyAdminServer,
  type ShopifyOrder,
} from '../support/provider-servers/shopify-admin-server';
import {
  paced,
  processCpuMs,
  send,
  type IntakeLoadSettings,
  type PacedFigures,
  writeStageOnly,
} from './intake-load';
import { providersChecks, providersMarkdown } from './providers-report';
import { envNumber, sleep, startLocalHost, type Child } from './support';

export interface ProvidersSettings extends IntakeLoadSettings {
  /** Line items per webhook order and per polled order. */
  lines: number;
  pollOrders: number;
  pageSize: number;
  pollIntervalSeconds: number;
  pollDrainTimeoutMs: number;
}

export function providersSettingsFromEnv(): ProvidersSettings {
  return {
    rate: envNumber('BENCH_PROVIDERS_RATE', 200),
    seconds: envNumber('BENCH_PROVIDERS_SECONDS', 30),
    warmupSeconds: envNumber('BENCH_PROVIDERS_WARMUP_SECONDS', 3),
    maxSockets: envNumber('BENCH_INTAKE_SOCKETS', 64),
    timeoutMs: 10_000,
    drainTimeoutMs: envNumber('BENCH_PROVIDERS_DRAIN_SECONDS', 300) * 1000,
    verifyConcurrency: 16,
    verifyPollMs: 500,
    lines: envNumber('BENCH_PROVIDERS_LINES', 5),
    pollOrders: envNumber('BENCH_PROVIDERS_POLL_ORDERS', 10_000),
    pageSize: 250,
    pollIntervalSeconds: 1,
    pollDrainTimeoutMs: envNumber('BENCH_PROVIDERS_POLL_DRAIN_SECONDS', 600) * 1000,
  };
}

/** Orders of one channel counted by externalId, from one listing of every order. */
export interface OrderCount {
  /** External ids expected (one per accepted delivery / per provider order). */
  expected: number;
  /** Expected externalIds with at least one order. */
  created: number;
  /** Expected externalIds with no order. */
  missing: number;
  /** Expected externalIds with more than one order (the orders beyond the first). */
  extraOrders: number;
  /** Orders of the channel whose externalId was never sent. */
  unexpected: number;
  /** Latest createdAt among the expected orders, ISO. */
  lastCreatedAt?: string;
}

export interface CreationWait {
  /** Start of the measured load (or of polling) → the last expected order's createdAt, s. */
  secondsToLastOrder: number;
  /** Orders created per second over that time. */
  ordersPerSec: number;
  /** End of the load → the last order seen by the wait's probes, s. */
  drainSeconds: number;
  timedOut: boolean;
  /** Core shares while waiting (host, Azurite, Cosmos server). */
  cpu: { host: number; azurite: number; cosmos: number };
}

export interface WebhookFigures {
  health: PacedFigures;
  webhook: PacedFigures;
  /** Accepted answers flagged `duplicate: true` (none expected: every webhook id is new). */
  duplicates: number;
  /** Warm-up deliveries accepted (their orders are counted too). */
  warmupAccepted: number;
  count: OrderCount;
  creation: CreationWait;
}

export interface PollFigures {
  orders: number;
  pageSize: number;
  /** Baseline: a plain client walking the same pages of a second server in this process. */
  plainClient: { pages: number; seconds: number; ordersPerSec: number; throttled: number };
  /** The app's poller: instance saved → the last page of its first run answered. */
  poller: { pages: number; seconds: number; ordersPerSec: number; throttled: number; runs: number };
  count: OrderCount;
  creation: CreationWait;
}

export interface ProvidersFigures {
  settings: ProvidersSettings;
  webhook: WebhookFigures;
  poll: PollFigures;
}

const skusOf = (orders: ShopifyOrder[]) => [
  ...new Set(orders.flatMap((o) => o.line_items.map((l) => l.sku))),
];

interface Api {
  base: URL;
  agent: http.Agent;
  key: string;
  timeoutMs: number;
}

async function call(api: Api, method: string, path: string, body?: unknown) {
  const answer = await send(
    api.agent,
    api.base,
    {
      method,
      path,
      headers: { 'x-functions-key': api.key, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
    api.timeoutMs
  );
  return {
    status: answer.status,
    json: () => JSON.parse(answer.body) as Record<string, unknown>,
    text: answer.body,
  };
}

async function expectStatus(
  what: string,
  answer: Promise<{ status: number; text: string }>,
  ...ok: number[]
) {
  const { status, text } = await answer;
  if (!ok.includes(status)) throw new Error(`providers: ${what} answered ${status}: ${text.slice(0, 500)}`);
}

/**
 * Waits until an order exists for every externalId (acceptance order): passes over the missing ones,
 * each stopped after `verifyConcurrency * 2` not-yet answers so as not to slow the consumer it waits
 * for, `verifyPollMs` apart, until all are seen or `timeoutMs` has passed.
 */
async function waitForOrders(
  api: Api,
  externalIds: readonly string[],
  settings: ProvidersSettings,
  timeoutMs: number,
  pids: { host?: number; azurite?: number; cosmos?: number }
): Promise<{ drainSeconds: number; timedOut: boolean; cpu: CreationWait['cpu'] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.verifyConcurrency });
  const probeApi = { ...api, agent };
  const missing = new Set(externalIds);
  const started = performance.now();
  const cpuAt = {
    host: processCpuMs(pids.host),
    azurite: processCpuMs(pids.azurite),
    cosmos: processCpuMs(pids.cosmos),
  };
  let lastSeen = started;
  const deadline = started + timeoutMs;
  try {
    while (missing.size > 0 && performance.now() < deadline) {
      const ids = [...missing];
      let next = 0;
      let notYet = 0;
      await Promise.all(
        Array.from({ length: settings.verifyConcurrency }, async () => {
          while (next < ids.length && notYet < settings.verifyConcurrency * 2) {
            const id = ids[next++]!;
            const answer = await call(
              probeApi,
              'GET',
              `/api/v1/orders?externalId=${encodeURIComponent(id)}&top=5`
            ).catch(() => undefined);
            if (answer?.status === 200 && (answer.json().items as unknown[]).length > 0) {
              missing.delete(id);
              lastSeen = performance.now();
            } else {
              notYet++;
            }
          }
        })
      );
      if (missing.size > 0) await sleep(settings.verifyPollMs);
    }
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const share = (pid: number | undefined, at: number) => (processCpuMs(pid) - at) / 1000 / seconds;
  return {
    drainSeconds: (lastSeen - started) / 1000,
    timedOut: missing.size > 0,
    cpu: {
      host: share(pids.host, cpuAt.host),
      azurite: share(pids.azurite, cpuAt.azurite),
      cosmos: share(pids.cosmos, cpuAt.cosmos),
    },
  };
}

/** One listing of every order (500 a page): the channel's orders counted by externalId. */
async function countOrders(api: Api, channel: string, expected: ReadonlySet<string>): Promise<OrderCount> {
  const counts = new Map<string, number>();
  let unexpected = 0;
  let lastCreatedAt: string | undefined;
  let token: string | undefined;
  do {
    const answer = await call(
      api,
      'GET',
      `/api/v1/orders?top=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`
    );
    if (answer.status !== 200)
      throw new Error(`providers: listing orders answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    const page = answer.json() as {
      items: { externalId: string; channel?: string; createdAt: string }[];
      continuationToken?: string;
    };
    for (const order of page.items) {
      if (order.channel !== channel) continue;
      if (!expected.has(order.externalId)) {
        unexpected++;
        continue;
      }
      counts.set(order.externalId, (counts.get(order.externalId) ?? 0) + 1);
      if (lastCreatedAt === undefined || Date.parse(order.createdAt) > Date.parse(lastCreatedAt))
        lastCreatedAt = order.createdAt;
    }
    token = page.continuationToken;
  } while (token);
  let extraOrders = 0;
  for (const n of counts.values()) extraOrders += n - 1;
  return {
    expected: expected.size,
    created: counts.size,
    missing: expected.size - counts.size,
    extraOrders,
    unexpected,
    ...(lastCreatedAt === undefined ? {} : { lastCreatedAt }),
  };
}

function creationOf(
  count: OrderCount,
  startedAtMs: number,
  wait: { drainSeconds: number; timedOut: boolean; cpu: CreationWait['cpu'] }
): CreationWait {
  const secondsToLastOrder = count.lastCreatedAt
    ? (Date.parse(count.lastCreatedAt) - startedAtMs) / 1000
    : NaN;
  return {
    secondsToLastOrder,
    ordersPerSec: count.created / secondsToLastOrder,
    drainSeconds: wait.drainSeconds,
    timedOut: wait.timedOut,
    cpu: wait.cpu,
  };
}

async function webhookIntake(
  api: Api,
  host: Child,
  pids: { host?: number; azurite?: number; cosmos?: number },
  settings: ProvidersSettings,
  runId: string,
  log: (line: string) => void
): Promise<WebhookFigures> {
  const instanceId = `bench-shop-${runId}`;
  const secret = randomBytes(16).toString('hex');
  const shopDomain = 'openiom-bench.myshopify.com';
  const warmCount = Math.round(settings.rate * settings.warmupSeconds);
  const count = Math.round(settings.rate * settings.seconds);
  // Order ids of this run: distinct from the poll stage's and from other runs'.
  const startId = 5_000_000_000n + BigInt(Date.now() % 1_000_000_000) * 100n;
  log(`providers: generating ${1 + warmCount + count} signed Shopify orders of ${settings.lines} lines`);
  const orders = shopifyOrders(1 + warmCount + count, { lines: settings.lines, startId });
  await expectStatus(
    'PUT the webhook instance',
    call(api, 'PUT', `/api/v1/provider-instances/${instanceId}`, {
      provider: 'shopify',
      active: true,
      parameters: { shopUrl: `https://${shopDomain}` },
      secrets: { webhookSecret: secret },
    }),
    200,
    201
  );
  for (const sku of skusOf(orders.slice(0, 1)))
    await expectStatus(
      `PUT product ${sku}`,
      call(api, 'PUT', `/api/v1/products/${encodeURIComponent(sku)}`, { name: sku }),
      200,
      201
    );
  const bodies = orders.map((order) => shopifyJson(order));
  const delivery = (i: number) => ({
    method: 'POST',
    path: `/api/providers/${instanceId}/webhook`,
    headers: shopifyWebhookHeaders({
      topic: 'orders/create',
      body: bodies[i]!,
      secret,
      shopDomain,
      webhookId: `bench-${runId}-${i}`,
    }),
    body: bodies[i]!,
  });
  const externalId = (i: number) => orders[i]!.id.toString();

  // One delivery through to its order first: the instance, products and transformation are in place.
  await expectStatus(
    'the probe webhook',
    send(api.agent, api.base, delivery(0), settings.timeoutMs).then((a) => ({
      status: a.status,
      text: a.body,
    })),
    202
  );
  await waitForOrders(api, [externalId(0)], settings, 60_000, {}).then((w) => {
    if (w.timedOut)
      throw new Error(`providers: the probe webhook made no order in 60 s:\n${host.stderr().slice(-3000)}`);
  });

  log(`providers: GET /api/health, ${settings.rate}/s for ${settings.seconds} s`);
  const health = await paced(
    {
      target: 'local host, real app GET /api/health',
      base: api.base,
      rate: settings.rate,
      seconds: settings.seconds,
      expect: 200,
      request: () => ({ method: 'GET', path: '/api/health', headers: {} }),
      pids,
    },
    settings
  );
  const accepted: string[] = [externalId(0)];
  let duplicates = 0;
  const run = (offset: number, seconds: number) =>
    paced(
      {
        target: 'local host, real app POST /api/providers/{instanceId}/webhook (Shopify orders/create)',
        base: api.base,
        rate: settings.rate,
        seconds,
        expect: 202,
        request: (i) => delivery(offset + i),
        onOk: (i, body) => {
          if ((JSON.parse(body) as { duplicate?: boolean }).duplicate) duplicates++;
          accepted.push(externalId(offset + i));
        },
        pids,
      },
      settings
    );
  log(`providers: webhook warm-up, ${settings.rate}/s for ${settings.warmupSeconds} s`);
  const warm = await run(1, settings.warmupSeconds);
  log(`providers: POST webhook, ${settings.rate}/s for ${settings.seconds} s`);
  const loadStartedAt = Date.now();
  const webhook = await run(1 + warmCount, settings.seconds);
  log(
    `providers: ${webhook.ok}/${webhook.sent} accepted, p99 ${webhook.p99Ms.toFixed(1)} ms ` +
      `(health p99 ${health.p99Ms.toFixed(1)} ms); waiting for ${accepted.length} orders`
  );
  const wait = await waitForOrders(api, accepted, settings, settings.drainTimeoutMs, pids);
  const counted = await countOrders(api, instanceId, new Set(accepted));
  const creation = creationOf(counted, loadStartedAt, wait);
  log(
    `providers: ${counted.created}/${counted.expected} orders (${counted.extraOrders} extra, ${counted.unexpected} unexpected), ` +
      `last ${creation.secondsToLastOrder.toFixed(1)} s after the load started`
  );
  return { health, webhook, duplicates, warmupAccepted: warm.ok, count: counted, creation };
}

/** The plain-client baseline: every page of the server, as the poller reads them, nothing queued. */
async function plainWalk(server: ShopifyAdminServer, pageSize: number) {
  const started = performance.now();
  let url: string | undefined =
    `${server.url}/admin/api/${server.apiVersion}/orders.json?status=any&limit=${pageSize}`;
  let pages = 0;
  let orders = 0;
  let throttled = 0;
  while (url) {
    const res = await fetch(url, { headers: { 'X-Shopify-Access-Token': server.accessToken } });
    const text = await res.text();
    if (res.status === 429) {
      throttled++;
      await sleep(Number(res.headers.get('retry-after') ?? '2') * 1000);
      continue;
    }
    if (res.status !== 200)
      throw new Error(`providers: plain client got ${res.status}: ${text.slice(0, 300)}`);
    const page = parseLossless(text) as { orders: Record<string, unknown>[] };
    for (const order of page.orders) {
      if (!isLosslessNumber(order.id) || (stringifyLossless(order) ?? '') === '')
        throw new Error('providers: odd order');
      orders++;
    }
    pages++;
    url = /<([^>]*)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  }
  const seconds = (performance.now() - started) / 1000;
  return { pages, orders, seconds, ordersPerSec: orders / seconds, throttled };
}

async function polling(
  api: Api,
  pids: { host?: number; azurite?: number; cosmos?: number },
  settings: ProvidersSettings,
  runId: string,
  log: (line: string) => void
): Promise<PollFigures> {
  const startId = 7_000_000_000n + BigInt(Date.now() % 1_000_000_000) * 100n;
  const orders = shopifyOrders(settings.pollOrders, { lines: settings.lines, startId });
  for (const sku of skusOf(orders.slice(0, 1)))
    await expectStatus(
      `PUT product ${sku}`,
      call(api, 'PUT', `/api/v1/products/${encodeURIComponent(sku)}`, { name: sku }),
      200,
      201
    );
  const baselineServer = await startShopifyAdminServer({ orders });
  const server = await startShopifyAdminServer({ orders });
  try {
    log(`providers: plain client walking ${settings.pollOrders} orders, ${settings.pageSize} a page`);
    const plain = await plainWalk(baselineServer, settings.pageSize);
    log(
      `providers: plain client ${plain.ordersPerSec.toFixed(0)} orders/s (${plain.pages} pages, ${plain.seconds.toFixed(2)} s)`
    );
    const instanceId = `bench-poll-${runId}`;
    const startedAt = Date.now();
    await expectStatus(
      'PUT the polling instance',
      call(api, 'PUT', `/api/v1/provider-instances/${instanceId}`, {
        provider: 'shopify',
        active: true,
        parameters: {
          shopUrl: server.url,
          pageSize: settings.pageSize,
          polling: true,
          pollIntervalSeconds: settings.pollIntervalSeconds,
        },
        secrets: { accessToken: server.accessToken },
      }),
      200,
      201
    );
    log(`providers: polling instance saved; waiting for ${settings.pollOrders} orders`);
    const externalIds = orders.map((o) => o.id.toString());
    const wait = await waitForOrders(api, externalIds, settings, settings.pollDrainTimeoutMs, pids);
    // Stop the poller before counting: its later runs only read the last instant again.
    await call(api, 'PUT', `/api/v1/provider-instances/${instanceId}`, {
      provider: 'shopify',
      active: false,
      parameters: { shopUrl: server.url, pageSize: settings.pageSize, polling: false },
    }).catch(() => undefined);
    const counted = await countOrders(api, instanceId, new Set(externalIds));
    const pagesNeeded = Math.ceil(settings.pollOrders / settings.pageSize);
    const listed = server.requests.filter((r) => r.path.endsWith('/orders.json'));
    const answered = listed.filter((r) => r.status === 200);
    const lastPage = answered[pagesNeeded - 1];
    const pulledSeconds = lastPage ? (Date.parse(lastPage.at) - startedAt) / 1000 : NaN;
    const firstRun = lastPage ? listed.slice(0, listed.indexOf(lastPage) + 1) : listed;
    const runs = listed.filter((r) => r.query.page_info === undefined).length;
    const creation = creationOf(counted, startedAt, wait);
    log(
      `providers: pulled ${settings.pollOrders} in ${pulledSeconds.toFixed(1)} s; ${counted.created}/${counted.expected} orders, ` +
        `last ${creation.secondsToLastOrder.toFixed(1)} s after the instance was saved`
    );
    return {
      orders: settings.pollOrders,
      pageSize: settings.pageSize,
      plainClient: {
        pages: plain.pages,
        seconds: plain.seconds,
        ordersPerSec: plain.ordersPerSec,
        throttled: plain.throttled,
      },
      poller: {
        pages: Math.min(answered.length, pagesNeeded),
        seconds: pulledSeconds,
        ordersPerSec: settings.pollOrders / pulledSeconds,
        throttled: firstRun.filter((r) => r.status === 429).length,
        runs,
      },
      count: counted,
      creation,
    };
  } finally {
    await baselineServer.close();
    await server.close();
  }
}

/** The stage: its own host of the real app (own data dir) on the run's services; both parts on it. */
export async function runProvidersStage(
  services: EmbeddedServices,
  dataDir: string,
  log: (line: string) => void
): Promise<ProvidersFigures> {
  const settings = providersSettingsFromEnv();
  const key = randomBytes(16).toString('hex');
  const runId = randomBytes(4).toString('hex');
  const children = services as { azurite?: { pid?: number }; cosmos?: { pid?: number } };
  log('providers: host with the real app');
  const host = await startLocalHost('host-real-app-providers', services, dataDir, { key });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const api: Api = { base: new URL(host.url), agent, key, timeoutMs: 30_000 };
    const pids = { host: host.process.pid, azurite: children.azurite?.pid, cosmos: children.cosmos?.pid };
    const webhook = await webhookIntake(api, host, pids, settings, runId, log);
    const poll = await polling(api, pids, settings, runId, log);
    return { settings, webhook, poll };
  } catch (err) {
    log(`providers: host log tail:\n${host.stderr().slice(-4000)}`);
    throw err;
  } finally {
    agent.destroy();
    await host.stop();
  }
}

/** `run-all.js providers` (BENCH_ONLY=providers): writes test/bench/results/providers-YYYY-MM-DD.{json,md}. */
export async function runProvidersOnly(
  services: EmbeddedServices,
  dataDir: string,
  date: Date,
  log: (line: string) => void
): Promise<number> {
  const providers = await runProvidersStage(services, dataDir, log);
  return writeStageOnly(
    'providers',
    date,
    providersChecks(providers),
    providersMarkdown(providers),
    { providers },
    log
  );
}
