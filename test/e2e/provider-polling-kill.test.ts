import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { groupMembers, startCrashApp, type CrashApp } from '../support/crash-app';
import {
  shopifyOrders,
  startShopifyAdminServer,
  type ShopifyAdminServer,
  type ShopifyOrder,
} from '../support/provider-servers/shopify-admin-server';
import { waitFor } from '../support/wait-for';

// A Shopify poll of 2,500 orders (10 pages of 250) cut by `kill -9` of the whole app (host, Azurite,
// Cosmos server: one process group) while page 5 is being fetched, then a restart on the same data.
// The checkpoint after page 4 is stored with its lease, so the poll resumes at page 5 once that
// lease (30 s) has run out; every order is created once, and the watermark ends at the last order.
const key = 'provider-polling-kill-key';
const total = 2500;
const pageSize = 250;
const killAtPage = 5;
/** The 429 answers the first request for this page, before the kill. */
const throttledPage = 3;
const retryAfterSeconds = 1.5;
const skus = ['IPOD2008GREEN', 'IPOD2008RED'];
// (POLL_KILL_SEED_JOURNEYS=true, POLL_KILL_LOG_LEVEL and POLL_KILL_LOG_DIR are for measuring.)
// The order journeys are not what this test is about, and each order's journey costs several times
// its intake in CPU (host and Azurite): without them the orders are created about 1.7 times faster.
const hostEnv: Record<string, string> = {
  OPENIOM_SEED_JOURNEYS: process.env.POLL_KILL_SEED_JOURNEYS ?? 'false',
  OPENIOM_LOG_LEVEL: process.env.POLL_KILL_LOG_LEVEL ?? 'warning',
};

let dataDir: string;
let app: CrashApp | undefined;
let shop: ShopifyAdminServer | undefined;
const hosts: CrashApp[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-poll-kill-'));
});

afterEach(async () => {
  const logDir = process.env.POLL_KILL_LOG_DIR;
  if (logDir)
    hosts.forEach((host, i) => writeFileSync(path.join(logDir, `host-${i}.log`), host.host.stderr()));
  hosts.length = 0;
  await app?.killGroup();
  app = undefined;
  await shop?.close();
  shop = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** 2,500 orders, odd ones with one line and even ones with two (each line id unique). */
function dataset(): ShopifyOrder[] {
  const one = shopifyOrders(total, { lines: 1 });
  const two = shopifyOrders(total, { lines: 2 });
  return two.map((order, i) => {
    const chosen = i % 2 === 0 ? order : one[i]!;
    chosen.line_items.forEach((line, j) => (line.id = 900_000_000n + BigInt(i * 2 + j)));
    return chosen;
  });
}

/** How many orders the meter counted in the last 12 months (the store holds only this test's). */
async function ordersCounted(app: CrashApp): Promise<number> {
  const { items } = await app.call('GET', '/api/v1/meter');
  return (items as { orders: number }[]).reduce((sum, month) => sum + month.orders, 0);
}

/** Every order of the store (this app's data dir holds only this test's), by externalId. */
async function ordersByExternalId(
  app: CrashApp
): Promise<{ byExternalId: Map<string, number>; channels: Set<string> }> {
  const byExternalId = new Map<string, number>();
  const channels = new Set<string>();
  let continuationToken: string | undefined;
  do {
    const query = new URLSearchParams({ top: '500', ...(continuationToken ? { continuationToken } : {}) });
    const page = await app.call('GET', `/api/v1/orders?${query.toString()}`);
    for (const order of page.items as { externalId: string; channel: string }[]) {
      byExternalId.set(order.externalId, (byExternalId.get(order.externalId) ?? 0) + 1);
      channels.add(order.channel);
    }
    continuationToken = page.continuationToken as string | undefined;
  } while (continuationToken);
  return { byExternalId, channels };
}

it('kill -9 of the group while page 5 of 10 is fetched: the poll resumes there and each of 2,500 orders is created once', async () => {
  const startedAt = Date.now();
  const marks: Record<string, number> = {};
  const progress: [number, number][] = [];
  const mark = (name: string) => (marks[name] = Date.now() - startedAt);
  let killed: Promise<void> | undefined;
  shop = await startShopifyAdminServer({
    orders: dataset(),
    beforeOrdersPage: async (page) => {
      if (page === throttledPage - 1) shop!.inject429(1, retryAfterSeconds);
      if (page === killAtPage && killed === undefined) {
        mark('kill');
        killed = app!.killGroup();
        await killed;
      }
    },
  });
  const instanceId = `shop-${Date.now().toString(36)}`;

  app = await startCrashApp(dataDir, key, 120_000, hostEnv);
  hosts.push(app);
  mark('started');
  for (const sku of skus) await app.call('PUT', `/api/v1/products/${sku}`, { name: sku });
  await app.call('PUT', `/api/v1/provider-instances/${instanceId}`, {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: shop.url, pageSize, polling: true, pollIntervalSeconds: 1 },
    secrets: { accessToken: shop.accessToken },
  });

  const pgid = app.pid;
  await waitFor(() => killed !== undefined, {
    what: `the request for page ${killAtPage}`,
    timeoutMs: 120_000,
  }).catch(async (err: unknown) => {
    const instance = await app!
      .call('GET', `/api/v1/provider-instances/${instanceId}`)
      .catch((err: unknown) => ({ polling: String(err) }));
    throw new Error(
      `${String(err)}: ${JSON.stringify(instance.polling)}; requests ${JSON.stringify(
        shop!.requests.map((entry) => [entry.at, entry.status, entry.query])
      )}\n${app!.host.stderr().slice(-6000)}`
    );
  });
  await killed;
  expect(groupMembers(pgid)).toEqual([]);
  app = await startCrashApp(dataDir, key, 120_000, hostEnv);
  hosts.push(app);
  mark('restarted');

  const polling = await waitFor(
    async () => {
      const instance = await app!
        .call('GET', `/api/v1/provider-instances/${instanceId}`)
        .catch((err: unknown) => ({ polling: String(err) }));
      const state = instance.polling as Record<string, unknown>;
      return state.since !== undefined && state.running === false ? state : undefined;
    },
    { what: 'the resumed poll to end', timeoutMs: 120_000, intervalMs: 500 }
  );
  mark('polled');
  // The meter (one document per month) counts each stored order once: a cheap signal to wait on.
  // Listing every order each time would read megabytes from the Cosmos server the app is using.
  await waitFor(
    async () => {
      const created = await ordersCounted(app!);
      progress.push([Date.now() - startedAt, created]);
      return created >= total;
    },
    { what: `${total} orders counted`, timeoutMs: 240_000, intervalMs: 1000 }
  ).catch(async (err: unknown) => {
    const errors = await app!.call('GET', '/api/v1/errors?list=provider-inbound');
    throw new Error(
      `${String(err)}: ${JSON.stringify(marks)} ${JSON.stringify(progress)}; errors: ${JSON.stringify(errors).slice(0, 2000)}\n${app!.host.stderr().slice(-4000)}`
    );
  });
  const found = await ordersByExternalId(app);
  mark('orders');

  const ids = shop.orders.map((order) => order.id.toString());
  expect([...found.byExternalId.keys()].sort()).toEqual([...ids].sort());
  expect([...found.byExternalId].filter(([, count]) => count !== 1)).toEqual([]);
  expect([...found.channels]).toEqual([instanceId]);
  expect(await ordersCounted(app)).toBe(total);
  expect(polling).toMatchObject({ since: shop.orders.at(-1)!.updated_at, running: false });
  expect(polling.lastError).toBeUndefined();

  // The first run's log: pages 1–2, a 429 and page 3 again after Retry-After, page 4, page 5 asked
  // before the kill (its answer went nowhere) and again after the restart with the cursor stored
  // after page 4, then pages 6–10. Every later run starts at updated_at_min = since.
  const firstId = shop.orders[0]!.id;
  const pageOf = (query: Record<string, string>): string => {
    if (query.page_info === undefined) return '1';
    const cursor = JSON.parse(Buffer.from(query.page_info, 'base64url').toString('utf8')) as {
      key: [number, string];
    };
    return String((BigInt(cursor.key[1]) - firstId) / BigInt(pageSize) + 2n);
  };
  const requests = shop.requests.filter((entry) => entry.path.endsWith('/orders.json'));
  const later = requests.findIndex((entry) => entry.query.updated_at_min !== undefined);
  const firstRun = later === -1 ? requests : requests.slice(0, later);
  expect(firstRun.map((entry) => `page ${pageOf(entry.query)}: ${entry.status}`)).toEqual([
    'page 1: 200',
    'page 2: 200',
    `page ${throttledPage}: 429`,
    `page ${throttledPage}: 200`,
    'page 4: 200',
    `page ${killAtPage}: 200`,
    `page ${killAtPage}: 200`,
    ...['6', '7', '8', '9', '10'].map((n) => `page ${n}: 200`),
  ]);
  expect(firstRun[0]!.query).toEqual({ status: 'any', limit: String(pageSize) });
  const since = shop.orders.at(-1)!.updated_at;
  expect(requests.slice(firstRun.length).map((entry) => entry.query)).toEqual(
    requests
      .slice(firstRun.length)
      .map(() => ({ status: 'any', limit: String(pageSize), updated_at_min: since }))
  );
  const throttled = firstRun.findIndex((entry) => entry.status === 429);
  const waited = Date.parse(firstRun[throttled + 1]!.at) - Date.parse(firstRun[throttled]!.at);
  expect(waited).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
  const resumedAfter = Date.parse(firstRun[killAtPage + 1]!.at) - Date.parse(firstRun[killAtPage]!.at);

  console.log(
    `poll kill: ${JSON.stringify(marks)} ms since the start; page ${killAtPage} asked again ${resumedAfter} ms after the kill; 429 wait ${waited} ms; orders found over time ${JSON.stringify(progress)}`
  );
}, 480_000);
