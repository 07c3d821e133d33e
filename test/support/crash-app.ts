import { spawn } from 'child_process';
import { appendFileSync, readdirSync, readFileSync } from 'fs';
import path from 'path';
import { hostProcessOf, type HostProcess } from '../../infra/local/test/support/host-process';
import { repoRoot } from './host-process';
import { waitFor } from './wait-for';

/**
 * openiom started the way `npm start` runs it, with its own Azurite and Cosmos server as children, in
 * a process group of its own: a kill of the group is a crash of the whole machine's worth of
 * processes (host, Azurite, Cosmos server) at one instant, as a power cut would be, minus the page
 * cache.
 */
export interface CrashApp {
  host: HostProcess;
  url: string;
  pid: number;
  call(method: string, route: string, body?: unknown): Promise<Record<string, unknown>>;
  /** SIGKILL to every process of the group; resolves once none of them is left. */
  killGroup(): Promise<void>;
  /** The pid of the host's service child whose script is `script` (azurite-main, cosmos-server-main). */
  servicePid(script: 'azurite-main' | 'cosmos-server-main'): number | undefined;
}

export const crashSku = 'CRASH-1';
export const crashSource = 'ONLY';

export async function startCrashApp(
  dataDir: string,
  key: string,
  timeoutMs = 120_000,
  /** Settings added to (or replacing) the ones below, e.g. OPENIOM_LOG_LEVEL. */
  env: Record<string, string> = {}
): Promise<CrashApp> {
  // The test run's own services (global setup) must not leak in: this app starts its own.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(COSMOS_|OPENIOM_|FUNCTIONS_HOST_|AzureWebJobsStorage)/.test(name)
    )
  );
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'infra', 'local-openiom', 'start.js')], {
    cwd: repoRoot,
    detached: true,
    env: {
      ...inherited,
      PORT: '0',
      OPENIOM_DATA_DIR: dataDir,
      OPENIOM_FUNCTIONS_KEY: key,
      OPENIOM_LOG_LEVEL: 'warning',
      // Demo stock and sources would only compete with the one source these tests reason about.
      OPENIOM_SEED_DEMO: 'false',
      // No SMTP server unless a test starts one: the sample settings name the local catcher.
      SMTP_URL: '',
      AzureWebJobsStorage: '',
      COSMOS_ENDPOINT: '',
      COSMOS_KEY: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let host: HostProcess;
  try {
    host = await hostProcessOf(child, /openiom ready on (http:\/\/\S+)/, timeoutMs);
  } catch (err) {
    await killGroup(pid);
    throw err;
  }
  return {
    host,
    url: host.url,
    pid,
    call: (method, route, body) => callWithKey(host.url, key, method, route, body),
    killGroup: () => killGroup(pid),
    servicePid: (script) =>
      processes().find((p) => p.ppid === pid && p.cmdline.includes(`${script}.js`) && p.state !== 'Z')?.pid,
  };
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
  cmdline: string;
}

/** Every process this user can see, from /proc (the tests kill by pid and group, so Linux only). */
function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      found.push({ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp), state: state!, cmdline });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return found;
}

/** Live (not zombie) members of process group `pgid`: a zombie has run its last instruction. */
export function groupMembers(pgid: number): ProcessInfo[] {
  return processes().filter((p) => p.pgrp === pgid && p.state !== 'Z');
}

async function killGroup(pgid: number): Promise<void> {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  await waitFor(() => groupMembers(pgid).length === 0, {
    what: `every process of group ${pgid} to be gone`,
    timeoutMs: 15_000,
  });
}

/** What the test knows of an order answered 202. */
export interface Accepted {
  externalId: string;
  quantity: number;
}

/**
 * Posts `count` orders, `perTick` every `tickMs` whether or not the earlier ones were answered (a
 * client that does not slow down when the app does), and resolves with those answered 202 once
 * every request is answered or failed. `onTick(n)` runs as tick n starts.
 */
export async function postOrders(
  app: CrashApp,
  {
    count,
    prefix,
    perTick = 10,
    tickMs = 100,
    onTick,
  }: { count: number; prefix: string; perTick?: number; tickMs?: number; onTick?: (tick: number) => void }
): Promise<{ accepted: Map<string, Accepted>; refused: string[] }> {
  const accepted = new Map<string, Accepted>();
  const refused: string[] = [];
  const posts: Promise<void>[] = [];
  const startedAt = Date.now();
  for (let tick = 0; tick * perTick < count; tick++) {
    const wait = startedAt + tick * tickMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    onTick?.(tick);
    for (let n = tick * perTick; n < Math.min(count, (tick + 1) * perTick); n++) {
      const externalId = `${prefix}-${n}`;
      const quantity = 1 + (n % 3);
      posts.push(
        app
          .call('POST', '/api/v1/orders', {
            externalId,
            currency: 'USD',
            customer: { email: `${externalId}@example.com` },
            shipTo: { postalCode: '10001', country: 'US' },
            lines: [{ sku: crashSku, quantity }],
          })
          .then(
            (answer) => void accepted.set(answer.orderId as string, { externalId, quantity }),
            (err: unknown) => void refused.push(`${externalId}: ${String(err)}`)
          )
      );
    }
  }
  await Promise.all(posts);
  return { accepted, refused };
}

/** One product, one source and plenty of stock for it, so no journey waits for inventory. */
export async function seedCatalog(app: CrashApp): Promise<void> {
  await app.call('PUT', `/api/v1/products/${crashSku}`, { name: 'Crash test item' });
  await app.call('PUT', `/api/v1/sources/${crashSource}`, {
    name: 'Only warehouse',
    type: 'warehouse',
    address: { postalCode: '10001', country: 'US' },
    online: true,
  });
  await app.call('POST', '/api/v1/inventory/onhand/set', [
    { sku: crashSku, sourceId: crashSource, measure: 'onhand', quantity: 100_000 },
  ]);
}

/** A JSON request to the app with its function key; a non-2xx answer throws with its body. */
export async function callWithKey(
  baseUrl: string,
  key: string,
  method: string,
  route: string,
  body?: unknown
): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Every fulfillment order of the store, by the orders on it. */
export async function fulfillmentOrdersByOrder(
  app: Pick<CrashApp, 'call'>
): Promise<Map<string, { id: string; quantity: number }[]>> {
  const byOrder = new Map<string, { id: string; quantity: number }[]>();
  let continuationToken: string | undefined;
  do {
    const query = new URLSearchParams({ top: '500', ...(continuationToken ? { continuationToken } : {}) });
    const page = await app.call('GET', `/api/v1/fulfillment-orders?${query.toString()}`);
    for (const fo of page.items as { id: string; lines: { orderId: string; quantity: number }[] }[]) {
      for (const line of fo.lines) {
        byOrder.set(line.orderId, [
          ...(byOrder.get(line.orderId) ?? []),
          { id: fo.id, quantity: line.quantity },
        ]);
      }
    }
    continuationToken = page.continuationToken as string | undefined;
  } while (continuationToken);
  return byOrder;
}

/** How many orders of the store carry each externalId. */
async function ordersByExternalId(app: CrashApp): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let continuationToken: string | undefined;
  do {
    const query = new URLSearchParams({ top: '500', ...(continuationToken ? { continuationToken } : {}) });
    const page = await app.call('GET', `/api/v1/orders?${query.toString()}`);
    for (const order of page.items as { externalId: string }[])
      counts.set(order.externalId, (counts.get(order.externalId) ?? 0) + 1);
    continuationToken = page.continuationToken as string | undefined;
  } while (continuationToken);
  return counts;
}

/**
 * Where the orders that did not reach a fulfillment order stopped, grouped: never created (the
 * intake message was lost), or the order's state and its journey's status and step.
 */
async function whereTheyStopped(app: CrashApp, missing: [string, Accepted][]): Promise<string> {
  const places = new Map<string, string[]>();
  await Promise.all(
    missing.map(async ([orderId, { externalId }]) => {
      const place = await app.call('GET', `/api/v1/orders/${orderId}`).then(
        async (order) => {
          const journey = order.journey as { id: string; status: string; step: string | null } | null;
          if (!journey) return `order ${String(order.state)}, no journey`;
          // An order whose journey instance does not exist reads as running at no step.
          const instance = await app
            .call(
              'GET',
              `/runtime/webhooks/durabletask/instances/${encodeURIComponent(`order:${orderId}:${journey.id}`)}`
            )
            .then(
              (status) => `instance ${String(status.runtimeStatus)}`,
              (err: unknown) =>
                /: 404 /.test(String(err)) ? 'no instance (start lost)' : 'instance unreadable'
            );
          const why =
            journey.status === 'failed'
              ? await app.call('GET', `/api/v1/orders/${orderId}/timeline`).then(
                  ({ items }) => {
                    const last = (items as { reason?: string; detail?: unknown }[]).at(-1);
                    return ` (${JSON.stringify([last?.reason, last?.detail]).slice(0, 300)})`;
                  },
                  () => ''
                )
              : '';
          return `order ${String(order.state)}, journey ${journey.status} at ${journey.step}, ${instance}${why}`;
        },
        (err: unknown) => (/: 404 /.test(String(err)) ? 'no order (intake lost)' : String(err).slice(0, 200))
      );
      places.set(place, [...(places.get(place) ?? []), externalId]);
    })
  );
  return [...places]
    .map(
      ([place, ids]) =>
        `${ids.length} × ${place}: ${ids.sort().slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`
    )
    .join('; ');
}

/**
 * Waits until every accepted order has a fulfillment order, then checks each is there exactly once:
 * one order per externalId, one fulfillment order line with the ordered quantity, and exactly the
 * ordered units soft-reserved. The failure names the orders missing and where they stopped.
 */
export async function expectEachFulfilledOnce(
  app: CrashApp,
  accepted: Map<string, Accepted>,
  timeoutMs: number
): Promise<void> {
  const byOrder = await waitFor(
    async () => {
      const found = await fulfillmentOrdersByOrder(app);
      return [...accepted.keys()].every((id) => found.has(id)) ? found : undefined;
    },
    { what: `all ${accepted.size} accepted orders to reach a fulfillment order`, timeoutMs, intervalMs: 2000 }
  ).catch(async (err: unknown) => {
    const found = await fulfillmentOrdersByOrder(app);
    const missing = [...accepted].filter(([id]) => !found.has(id));
    throw new Error(
      `${String(err)}: ${missing.length} of ${accepted.size} missing; ${await whereTheyStopped(app, missing)}`
    );
  });

  for (const orderId of accepted.keys()) await app.call('GET', `/api/v1/orders/${orderId}`);
  const counts = await ordersByExternalId(app);
  const notOnce = [...accepted.values()]
    .map(({ externalId }) => ({ externalId, orders: counts.get(externalId) ?? 0 }))
    .filter(({ orders }) => orders !== 1);
  expect(notOnce).toEqual([]);

  const wrong = [...accepted]
    .map(([orderId, { quantity }]) => ({ orderId, quantity, fulfillmentOrders: byOrder.get(orderId) }))
    .filter(
      ({ quantity, fulfillmentOrders }) =>
        fulfillmentOrders?.length !== 1 || fulfillmentOrders[0]!.quantity !== quantity
    );
  expect(wrong).toEqual([]);

  const query = await app.call('POST', '/api/v1/inventory/query', {
    skus: [crashSku],
    sourceIds: [crashSource],
  });
  const measures = (query.items as { measures: Record<string, number> }[])[0]!.measures;
  const total = [...accepted.values()].reduce((sum, { quantity }) => sum + quantity, 0);
  expect(measures.softReserved).toBe(total);
}

/**
 * Appends the first bytes of a record to the newest journal file of the task hub store under
 * `dataDir`, as a write cut short by the kill would leave it; returns the file.
 */
export function tearDurableJournalTail(dataDir: string): string {
  const durable = path.join(dataDir, 'durable');
  const journals = readdirSync(durable, { recursive: true, encoding: 'utf8' })
    .filter((name) => /journal-\d+\.log$/.test(name))
    .sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  const newest = path.join(durable, journals[journals.length - 1]!);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(200, 0);
  header.writeUInt32LE(0xdeadbeef, 4);
  appendFileSync(newest, Buffer.concat([header, Buffer.from('{"op":"send","queue":"control"')]));
  return newest;
}
