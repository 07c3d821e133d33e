/**
 * A local stand-in for the Shopify Admin REST API (orders), as documented on shopify.dev: token auth,
 * `Link`-header cursor paging, the leaky-bucket call limit and 429 + Retry-After, plus webhook signing
 * helpers. Ids are bigints so that ids beyond 2^53 are served digit for digit, as Shopify sends them.
 *
 * Assumed where the docs are silent: the exact 400 bodies for `page` and for filters sent with
 * `page_info`, and that the list is ordered by (updated_at, id) — Shopify does not promise an order, but
 * a watermark sync over updated_at needs one to be checked exactly.
 */
import * as crypto from 'node:crypto';
import {
  cloneJson,
  delay,
  header,
  InjectedFaults,
  jsonReply,
  jsonText,
  readProviderPayload,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

export interface ShopifyLineItem {
  id: bigint;
  sku: string;
  price: string;
  quantity: number;
  [field: string]: unknown;
}

export interface ShopifyOrder {
  id: bigint;
  name: string;
  order_number: number;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  closed_at: string | null;
  line_items: ShopifyLineItem[];
  [field: string]: unknown;
}

export interface ShopifyOrdersOptions {
  /** First order id (default 5000000001, or 2^53 + 1 with bigIds). */
  startId?: bigint | number;
  /** updated_at/created_at of the first order; later orders follow 1 s apart. */
  startUpdatedAt?: string | Date;
  /** Line items per order (default: the fixture's three). */
  lines?: number;
  /** Ids beyond 2^53 (orders and line items). */
  bigIds?: boolean;
}

const FIXTURE = 'shopify/rest-order.shopify-api-ruby-fixture.json';
const TWO_TO_53 = 2n ** 53n;

function fixtureOrder(): Record<string, unknown> {
  return (JSON.parse(readProviderPayload(FIXTURE)) as { order: Record<string, unknown> }).order;
}

/** Shopify writes times in the shop's zone; the fixture's shop is at -05:00. */
function shopTime(ms: number): string {
  return `${new Date(ms - 5 * 3600_000).toISOString().slice(0, 19)}-05:00`;
}

function cents(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
}

function money(minor: bigint): string {
  return `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;
}

/** Orders cloned from the Shopify SDK order fixture, each with fresh ids, name, number and times. */
export function shopifyOrders(count: number, options: ShopifyOrdersOptions = {}): ShopifyOrder[] {
  const template = fixtureOrder();
  const templateLines = template.line_items as ShopifyLineItem[];
  const startId = BigInt(options.startId ?? (options.bigIds ? TWO_TO_53 + 1n : 5000000001n));
  const lineBase = (options.bigIds ? TWO_TO_53 : 0n) + 466157049n;
  const lineCount = options.lines ?? templateLines.length;
  const start = new Date(options.startUpdatedAt ?? '2024-01-01T00:00:00Z').getTime();
  const orders: ShopifyOrder[] = [];
  for (let i = 0; i < count; i++) {
    const order = cloneJson(template) as unknown as ShopifyOrder;
    const id = startId + BigInt(i);
    const time = shopTime(start + i * 1000);
    order.id = id;
    order.checkout_id = id;
    order.number = i + 1;
    order.order_number = 1001 + i;
    order.name = `#${1001 + i}`;
    order.created_at = time;
    order.updated_at = time;
    order.line_items = Array.from({ length: lineCount }, (_, j) => {
      const source = templateLines[j % templateLines.length] as ShopifyLineItem;
      const line = cloneJson({ ...source, id: 0 }) as unknown as ShopifyLineItem;
      line.id = lineBase + BigInt(i * lineCount + j);
      line.sku =
        j < templateLines.length ? source.sku : `${source.sku}-${Math.floor(j / templateLines.length)}`;
      return line;
    });
    const subtotal = order.line_items.reduce(
      (sum, line) => sum + cents(line.price) * BigInt(line.quantity),
      0n
    );
    const tax = (subtotal * 6n + 50n) / 100n;
    order.subtotal_price = money(subtotal);
    order.total_line_items_price = money(subtotal);
    order.total_tax = money(tax);
    order.total_price = money(subtotal + tax);
    order.total_price_usd = money(subtotal + tax);
    order.tax_lines = [{ price: money(tax), rate: 0.06, title: 'State Tax' }];
    // The fixture's one (failed) fulfillment points at its order and first line: keep it consistent.
    const first = order.line_items[0];
    order.fulfillments = (order.fulfillments as Record<string, unknown>[]).map((fulfillment, k) => ({
      ...fulfillment,
      id: lineBase + 10_000_000n + BigInt(i * 10 + k),
      order_id: id,
      line_items: first ? [first] : [],
    }));
    orders.push(order);
  }
  return orders;
}

/** JSON text of Shopify data, ids beyond 2^53 included exactly. */
export function shopifyJson(value: unknown): string {
  return jsonText(value);
}

/** The X-Shopify-Hmac-Sha256 value: base64 HMAC-SHA256 of the raw body keyed with the app's client secret. */
export function signShopifyWebhook(rawBody: string | Buffer, secret: string): string {
  return crypto.createHmac('sha256', secret).update(rawBody).digest('base64');
}

export interface ShopifyWebhookHeaderOptions {
  topic: string;
  body: string | Buffer;
  secret: string;
  shopDomain: string;
  webhookId?: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: string;
}

/** Every header the Shopify SDK reads on a webhook delivery (it requires hmac, topic, domain, version, id). */
export function shopifyWebhookHeaders(options: ShopifyWebhookHeaderOptions): Record<string, string> {
  return {
    'content-type': 'application/json',
    'X-Shopify-Hmac-Sha256': signShopifyWebhook(options.body, options.secret),
    'X-Shopify-Topic': options.topic,
    'X-Shopify-Shop-Domain': options.shopDomain,
    'X-Shopify-API-Version': options.apiVersion ?? '2024-10',
    'X-Shopify-Webhook-Id': options.webhookId ?? crypto.randomUUID(),
    'X-Shopify-Event-Id': options.eventId ?? crypto.randomUUID(),
    'X-Shopify-Triggered-At': options.triggeredAt ?? new Date().toISOString(),
  };
}

export interface ShopifyAdminServerOptions {
  accessToken?: string;
  shopDomain?: string;
  apiVersion?: string;
  /** The dataset, or how many orders to generate with shopifyOrders. */
  orders?: ShopifyOrder[] | number;
  /** Latency added to every orders answer. */
  pageDelayMs?: number;
  /** Leaky bucket (Standard plan: 40 calls, 2 per second leak). */
  bucketSize?: number;
  leakPerSecond?: number;
  /**
   * Called as the `page`-th orders.json page (1-based, counting only pages answered 200) is about to
   * be answered; the answer waits for the returned promise. A test stops the client here at an exact
   * page (e.g. kills it while the request is open).
   */
  beforeOrdersPage?: (page: number, url: URL) => void | Promise<void>;
}

export interface ShopifyAdminServer {
  url: string;
  shopDomain: string;
  accessToken: string;
  apiVersion: string;
  requests: RequestLogEntry[];
  orders: ShopifyOrder[];
  /** The next `count` requests answer 429 with Retry-After (seconds, default 2.0). */
  inject429(count: number, retryAfterSeconds?: number): void;
  /** 503 for the next N requests, or 400 `{"errors": message}` until accept(). */
  faults: InjectedFaults;
  /** Fulfillments created through `POST fulfillments.json`, oldest first. */
  fulfillments: ShopifyFulfillment[];
  close(): Promise<void>;
}

export interface ShopifyFulfillmentOrderLineItem {
  id: bigint;
  line_item_id: bigint;
  quantity: number;
  fulfillable_quantity: number;
}

export interface ShopifyFulfillmentOrder {
  id: bigint;
  order_id: bigint;
  status: string;
  request_status: string;
  supported_actions: string[];
  line_items: ShopifyFulfillmentOrderLineItem[];
}

export interface ShopifyFulfillment {
  id: bigint;
  order_id: bigint;
  status: string;
  tracking_company: string | null;
  tracking_number: string | null;
  tracking_numbers: string[];
  tracking_url: string | null;
  name: string;
  line_items: { id: bigint; quantity: number }[];
}

interface Cursor {
  /** (updated_at ms, id) of the item the page starts after (next) or ends before (previous). */
  key: [number, string];
  direction: 'next' | 'previous';
  status: string;
  updatedAtMin?: string;
  sinceId?: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    return Array.isArray(cursor.key) && (cursor.direction === 'next' || cursor.direction === 'previous')
      ? cursor
      : undefined;
  } catch {
    return undefined;
  }
}

function orderKey(order: ShopifyOrder): [number, bigint] {
  return [Date.parse(order.updated_at), BigInt(order.id)];
}

function compareKeys(a: [number, bigint], b: [number, bigint]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

function statusMatches(order: ShopifyOrder, status: string): boolean {
  switch (status) {
    case 'any':
      return true;
    case 'open':
      return order.cancelled_at === null && order.closed_at === null;
    case 'closed':
      return order.closed_at !== null;
    case 'cancelled':
      return order.cancelled_at !== null;
    default:
      return false;
  }
}

export async function startShopifyAdminServer(
  options: ShopifyAdminServerOptions = {}
): Promise<ShopifyAdminServer> {
  const accessToken = options.accessToken ?? 'shpat_local0000000000000000000000';
  const shopDomain = options.shopDomain ?? 'openiom-test.myshopify.com';
  const apiVersion = options.apiVersion ?? '2024-10';
  const orders = Array.isArray(options.orders) ? options.orders : shopifyOrders(options.orders ?? 0);
  const bucketSize = options.bucketSize ?? 40;
  const leakPerMs = (options.leakPerSecond ?? 2) / 1000;
  let bucketUsed = 0;
  let bucketAt = Date.now();
  let injected = 0;
  let injectedRetryAfter = 2;
  let ordersPagesAnswered = 0;
  let baseUrl = '';
  const faults = new InjectedFaults();
  const fulfillments: ShopifyFulfillment[] = [];
  const fulfillmentOrders = new Map<bigint, ShopifyFulfillmentOrder>();
  let nextFulfillmentId = 9_100_000_001n;

  /** Each order has one fulfillment order, at one location, over all its line items. */
  function fulfillmentOrderOf(order: ShopifyOrder): ShopifyFulfillmentOrder {
    const id = BigInt(order.id);
    let found = fulfillmentOrders.get(id);
    if (found === undefined) {
      found = {
        id: id + 1_000_000_000n,
        order_id: id,
        status: 'open',
        request_status: 'unsubmitted',
        supported_actions: ['create_fulfillment', 'request_fulfillment', 'hold', 'move'],
        line_items: order.line_items.map((line) => ({
          id: BigInt(line.id) + 1_000_000_000n,
          line_item_id: BigInt(line.id),
          quantity: line.quantity,
          fulfillable_quantity: line.quantity,
        })),
      };
      fulfillmentOrders.set(id, found);
    }
    return found;
  }

  /** POST fulfillments.json: fulfils the given fulfillment order line items (all remaining when none given). */
  function createFulfillment(body: string, headers: Record<string, string>): Reply {
    let parsed: { fulfillment?: Record<string, unknown> };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return errors(400, 'Bad Request', headers);
    }
    const request = parsed.fulfillment;
    const groups = request?.line_items_by_fulfillment_order as
      | {
          fulfillment_order_id?: unknown;
          fulfillment_order_line_items?: { id?: unknown; quantity?: unknown }[];
        }[]
      | undefined;
    if (!Array.isArray(groups) || groups.length === 0) {
      return errors(422, { line_items_by_fulfillment_order: ['is required'] }, headers);
    }
    const taken: { item: ShopifyFulfillmentOrderLineItem; quantity: number }[] = [];
    let orderId: bigint | undefined;
    for (const group of groups) {
      const fo = [...fulfillmentOrders.values()].find(
        (f) => String(f.id) === String(group.fulfillment_order_id)
      );
      if (fo === undefined) return errors(404, 'Not Found', headers);
      if (fo.status !== 'open' && fo.status !== 'in_progress') {
        return errors(422, ['Fulfillment order is not in a fulfillable state'], headers);
      }
      orderId = fo.order_id;
      const wanted =
        group.fulfillment_order_line_items ??
        fo.line_items.map((item) => ({ id: item.id, quantity: item.fulfillable_quantity }));
      for (const want of wanted) {
        const item = fo.line_items.find((i) => String(i.id) === String(want.id));
        const quantity = Number(want.quantity);
        if (item === undefined) return errors(422, ['Invalid fulfillment order line item id'], headers);
        if (!Number.isInteger(quantity) || quantity < 1 || quantity > item.fulfillable_quantity) {
          return errors(
            422,
            [`Invalid quantity ${String(want.quantity)} for fulfillment order line item ${String(item.id)}`],
            headers
          );
        }
        taken.push({ item, quantity });
      }
    }
    for (const { item, quantity } of taken) item.fulfillable_quantity -= quantity;
    for (const fo of fulfillmentOrders.values()) {
      if (fo.line_items.every((i) => i.fulfillable_quantity === 0)) fo.status = 'closed';
      else if (fo.line_items.some((i) => i.fulfillable_quantity < i.quantity)) fo.status = 'in_progress';
    }
    const tracking = (request?.tracking_info ?? {}) as { number?: string; company?: string; url?: string };
    const id = nextFulfillmentId++;
    const fulfillment: ShopifyFulfillment = {
      id,
      order_id: orderId!,
      status: 'success',
      tracking_company: tracking.company ?? null,
      tracking_number: tracking.number ?? null,
      tracking_numbers: tracking.number ? [tracking.number] : [],
      tracking_url: tracking.url ?? null,
      name: `#F${fulfillments.length + 1}`,
      line_items: taken.map(({ item, quantity }) => ({ id: item.line_item_id, quantity })),
    };
    fulfillments.push(fulfillment);
    return jsonReply(201, { fulfillment }, headers);
  }

  const base = `/admin/api/${apiVersion}`;
  const errors = (status: number, value: unknown, headers: Record<string, string>): Reply =>
    jsonReply(status, { errors: value }, headers);

  function listOrders(url: URL, headers: Record<string, string>): Reply {
    const params = url.searchParams;
    if (params.has('page')) {
      return errors(
        400,
        {
          page: 'page cannot be passed. See https://shopify.dev/api/usage/pagination-rest for more information.',
        },
        headers
      );
    }
    const limitText = params.get('limit');
    const limit = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      return errors(400, { limit: 'Limit must be between 1 and 250.' }, headers);
    }
    const pageInfo = params.get('page_info');
    let cursor: Cursor | undefined;
    if (pageInfo !== null) {
      const extra = [...params.keys()].filter((name) => !['page_info', 'limit', 'fields'].includes(name));
      if (extra.length > 0) {
        return errors(
          400,
          { page_info: `Parameters not allowed with page_info: ${extra.join(', ')}` },
          headers
        );
      }
      cursor = decodeCursor(pageInfo);
      if (!cursor) return errors(400, { page_info: 'Invalid value.' }, headers);
    }
    const status = cursor?.status ?? params.get('status') ?? 'open';
    if (!['any', 'open', 'closed', 'cancelled'].includes(status)) {
      return errors(400, { status: 'Invalid status.' }, headers);
    }
    const updatedAtMin = cursor ? cursor.updatedAtMin : (params.get('updated_at_min') ?? undefined);
    const sinceId = cursor ? cursor.sinceId : (params.get('since_id') ?? undefined);
    const minMs = updatedAtMin === undefined ? undefined : Date.parse(updatedAtMin);
    if (minMs !== undefined && Number.isNaN(minMs)) {
      return errors(400, { updated_at_min: 'Invalid date.' }, headers);
    }
    const since = sinceId === undefined ? undefined : BigInt(sinceId);
    const matching = orders
      .filter(
        (order) =>
          statusMatches(order, status) &&
          (minMs === undefined || Date.parse(order.updated_at) >= minMs) &&
          (since === undefined || BigInt(order.id) > since)
      )
      .sort((a, b) => compareKeys(orderKey(a), orderKey(b)));

    let page: ShopifyOrder[];
    let startIndex: number;
    if (!cursor) {
      startIndex = 0;
    } else {
      const key: [number, bigint] = [cursor.key[0], BigInt(cursor.key[1])];
      if (cursor.direction === 'next') {
        const after = matching.findIndex((order) => compareKeys(orderKey(order), key) > 0);
        startIndex = after === -1 ? matching.length : after;
      } else {
        const before = matching.findIndex((order) => compareKeys(orderKey(order), key) >= 0);
        const end = before === -1 ? matching.length : before;
        startIndex = Math.max(0, end - limit);
      }
    }
    page = matching.slice(startIndex, startIndex + limit);
    if (cursor?.direction === 'previous') {
      const key: [number, bigint] = [cursor.key[0], BigInt(cursor.key[1])];
      page = page.filter((order) => compareKeys(orderKey(order), key) < 0);
    }

    const links: string[] = [];
    const link = (from: ShopifyOrder, direction: Cursor['direction']): string => {
      const [ms, id] = orderKey(from);
      const next = encodeCursor({ key: [ms, id.toString()], direction, status, updatedAtMin, sinceId });
      return `<${baseUrl}${base}/orders.json?page_info=${next}&limit=${limit}>; rel="${direction}"`;
    };
    const first = page[0];
    const last = page[page.length - 1];
    if (cursor && first && startIndex > 0) links.push(link(first, 'previous'));
    if (last && startIndex + page.length < matching.length) links.push(link(last, 'next'));
    const answerHeaders = links.length > 0 ? { ...headers, Link: links.join(', ') } : headers;
    return jsonReply(200, { orders: page }, answerHeaders);
  }

  async function handle(request: IncomingRequest): Promise<Reply> {
    const now = Date.now();
    bucketUsed = Math.max(0, bucketUsed - (now - bucketAt) * leakPerMs);
    bucketAt = now;
    const callLimit = (): Record<string, string> => ({
      'X-Shopify-Shop-Api-Call-Limit': `${Math.ceil(bucketUsed)}/${bucketSize}`,
    });
    if (header(request.headers, 'x-shopify-access-token') !== accessToken) {
      return errors(
        401,
        '[API] Invalid API key or access token (unrecognized login or wrong password)',
        callLimit()
      );
    }
    if (injected > 0) {
      injected--;
      return errors(
        429,
        'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
        {
          ...callLimit(),
          'Retry-After': injectedRetryAfter.toFixed(1),
        }
      );
    }
    if (bucketUsed + 1 > bucketSize) {
      return errors(
        429,
        'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
        {
          ...callLimit(),
          'Retry-After': '2.0',
        }
      );
    }
    bucketUsed += 1;
    const headers = callLimit();
    const fault = faults.take();
    if (fault?.kind === 'unavailable') return errors(503, 'Service Unavailable', headers);
    if (fault?.kind === 'refused') return errors(400, fault.message, headers);
    const path = request.url.pathname;
    const orderOf = (id: string) => orders.find((candidate) => BigInt(candidate.id) === BigInt(id));
    const fulfillmentOrdersPath =
      /^\/admin\/api\/[^/]+\/orders\/(\d+)\/(fulfillment_orders|fulfillments)\.json$/.exec(path);
    if (request.method === 'GET' && fulfillmentOrdersPath?.[1] && path.startsWith(base)) {
      const order = orderOf(fulfillmentOrdersPath[1]);
      if (order === undefined) return errors(404, 'Not Found', headers);
      if (fulfillmentOrdersPath[2] === 'fulfillments') {
        return jsonReply(
          200,
          { fulfillments: fulfillments.filter((f) => f.order_id === BigInt(order.id)) },
          headers
        );
      }
      return jsonReply(200, { fulfillment_orders: [fulfillmentOrderOf(order)] }, headers);
    }
    if (request.method === 'POST' && path === `${base}/fulfillments.json`) {
      return createFulfillment(request.body, headers);
    }
    const cancelling = /^\/admin\/api\/[^/]+\/fulfillments\/(\d+)\/cancel\.json$/.exec(path);
    if (request.method === 'POST' && cancelling?.[1] && path.startsWith(base)) {
      const fulfillment = fulfillments.find((f) => f.id === BigInt(cancelling[1]!));
      if (fulfillment === undefined) return errors(404, 'Not Found', headers);
      fulfillment.status = 'cancelled';
      const fo = fulfillmentOrders.get(fulfillment.order_id);
      for (const line of fulfillment.line_items) {
        const item = fo?.line_items.find((i) => i.line_item_id === line.id);
        if (item) item.fulfillable_quantity += line.quantity;
      }
      if (fo) fo.status = 'open';
      return jsonReply(200, { fulfillment }, headers);
    }
    if (request.method !== 'GET') return errors(404, 'Not Found', headers);
    if (path === `${base}/orders.json`) {
      if (options.pageDelayMs) await delay(options.pageDelayMs);
      const reply = listOrders(request.url, headers);
      if (reply.status === 200) await options.beforeOrdersPage?.(++ordersPagesAnswered, request.url);
      return reply;
    }
    if (path === `${base}/orders/count.json`) {
      const status = request.url.searchParams.get('status') ?? 'open';
      return jsonReply(
        200,
        { count: orders.filter((order) => statusMatches(order, status)).length },
        headers
      );
    }
    const single = /^\/admin\/api\/[^/]+\/orders\/(\d+)\.json$/.exec(path);
    if (single?.[1] && path.startsWith(base)) {
      if (options.pageDelayMs) await delay(options.pageDelayMs);
      const id = BigInt(single[1]);
      const order = orders.find((candidate) => BigInt(candidate.id) === id);
      return order ? jsonReply(200, { order }, headers) : errors(404, 'Not Found', headers);
    }
    return errors(404, 'Not Found', headers);
  }

  const server = await serveLocally(handle);
  baseUrl = server.url;
  return {
    url: server.url,
    shopDomain,
    accessToken,
    apiVersion,
    requests: server.requests,
    orders,
    inject429(count: number, retryAfterSeconds = 2) {
      injected = count;
      injectedRetryAfter = retryAfterSeconds;
    },
    faults,
    fulfillments,
    close: () => server.close(),
  };
}
