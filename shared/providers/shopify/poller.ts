import { isLosslessNumber, parse, stringify } from 'lossless-json';
import { ValidationError } from '../../domain/errors';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type {
  OrderPoller,
  PolledMessage,
  PolledPage,
  PollPosition,
  ProviderConnection,
  ProviderHttp,
  ProviderResponse,
  RetryDelay,
} from '../../ports/provider-plugins';
import { shopifyDefaultApiVersion, shopifyMaxPageSize } from './definition';

/** The REST call-limit bucket counts as nearly full this close to its size (`used/max`). */
const nearlyFullMargin = 2;
/** The wait before the next page when the bucket is nearly full: one request leaks out (2/s on Standard). */
const nearlyFullWaitMs = 500;
const bodyExcerptChars = 500;

export interface ShopifyPollerOptions {
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads the orders changed since the last run from `GET /admin/api/{version}/orders.json`.
 *
 * A run's first page asks `status=any` (the default `open` would miss closed and cancelled orders)
 * with `updated_at_min={since}`; later pages send only the `page_info` and `limit` of the `Link`
 * rel="next" URL, as Shopify refuses filters beside `page_info`. The cursor kept in the position is
 * that next URL as sent; only its `page_info` and `limit` are used, on the instance's own `shopUrl`,
 * so the access token goes nowhere else.
 *
 * `updated_at_min` is inclusive: the next run reads the orders of the last instant again, which the
 * message id `{id}@{updated_at}` makes duplicates of what was queued.
 *
 * Each message's text is the order's JSON as sent, parsed and written again by lossless-json: numbers
 * keep their exact digits (ids beyond 2^53 intact); whitespace and string escapes may differ.
 */
export function createShopifyPoller(options: ShopifyPollerOptions = {}): OrderPoller {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async nextPage(
      connection: ProviderConnection,
      position: PollPosition,
      http: ProviderHttp,
      _now: Date
    ): Promise<PolledPage> {
      const token = connection.secrets.accessToken;
      if (token === undefined || token === '') {
        throw new ValidationError('Polling Shopify needs an access token.', [
          { path: '/secrets/accessToken', message: 'is required for polling' },
        ]);
      }
      const url = pageUrl(connection, position);
      const response = await http.request(
        { url, headers: { 'X-Shopify-Access-Token': token } },
        shopifyRetryDelay
      );
      const orders = ordersOf(response, url);
      const messages = orders.map(polledMessage);
      let highWater = position.highWater;
      for (const order of orders) highWater = later(highWater, textOf(order.updated_at));
      const next = nextLink(response.headers.get('link'));
      if (next === undefined) {
        const since = highWater ?? position.since;
        return { messages, position: since === undefined ? {} : { since } };
      }
      if (bucketNearlyFull(response)) await sleep(nearlyFullWaitMs);
      return {
        messages,
        position: {
          ...(position.since === undefined ? {} : { since: position.since }),
          ...(highWater === undefined ? {} : { highWater }),
          cursor: next,
        },
      };
    },
  };
}

export const shopifyPoller: OrderPoller = createShopifyPoller();

/** 429 waits the `Retry-After` seconds Shopify sends (e.g. "2.0"); anything else: the client's default. */
export const shopifyRetryDelay: RetryDelay = (response) => {
  if (response.status !== 429) return undefined;
  const seconds = Number(response.headers.get('retry-after') ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

function pageUrl(connection: ProviderConnection, position: PollPosition): string {
  const base = String(connection.parameters.shopUrl ?? '').replace(/\/+$/, '');
  const version = String(connection.parameters.apiVersion ?? shopifyDefaultApiVersion);
  const path = `${base}/admin/api/${encodeURIComponent(version)}/orders.json`;
  const query = new URLSearchParams();
  if (position.cursor !== undefined) {
    const next = new URL(position.cursor).searchParams;
    query.set('page_info', next.get('page_info') ?? '');
    query.set('limit', next.get('limit') ?? String(pageSize(connection)));
  } else {
    query.set('status', 'any');
    query.set('limit', String(pageSize(connection)));
    if (position.since !== undefined) query.set('updated_at_min', position.since);
  }
  return `${path}?${query.toString()}`;
}

function pageSize(connection: ProviderConnection): number {
  const size = Number(connection.parameters.pageSize ?? shopifyMaxPageSize);
  return Number.isInteger(size) ? Math.min(Math.max(size, 1), shopifyMaxPageSize) : shopifyMaxPageSize;
}

type LosslessOrder = Record<string, unknown>;

function ordersOf(response: ProviderResponse, url: string): LosslessOrder[] {
  let body: unknown;
  try {
    body = parse(response.text);
  } catch {
    body = undefined;
  }
  const orders = (body as { orders?: unknown } | undefined)?.orders;
  if (!Array.isArray(orders) || !orders.every((order) => typeof order === 'object' && order !== null)) {
    throw new ProviderCallError(
      `GET ${url.slice(0, url.indexOf('?'))} answered without an orders array.`,
      response.status,
      response.text.slice(0, bodyExcerptChars)
    );
  }
  return orders as LosslessOrder[];
}

function polledMessage(order: LosslessOrder): PolledMessage {
  return {
    messageType: 'order',
    messageId: `${textOf(order.id) ?? ''}@${textOf(order.updated_at) ?? ''}`,
    text: stringify(order) ?? '',
  };
}

/** A field as its text: a LosslessNumber keeps the digits as sent. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return value.toString();
  return undefined;
}

/** The later of two timestamps, compared as instants (offsets differ), kept as sent. */
function later(current: string | undefined, candidate: string | undefined): string | undefined {
  if (candidate === undefined || Number.isNaN(Date.parse(candidate))) return current;
  if (current === undefined || Number.isNaN(Date.parse(current))) return candidate;
  return Date.parse(candidate) > Date.parse(current) ? candidate : current;
}

/** The rel="next" URL of a `Link` header (`<url>; rel="next", <url>; rel="previous"`). */
function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const [, url, params] of header.matchAll(/<([^>]*)>\s*((?:;[^,;]*)*)/g)) {
    if (/;\s*rel\s*=\s*"?next"?/i.test(params ?? '')) return url;
  }
  return undefined;
}

/** `X-Shopify-Shop-Api-Call-Limit: 38/40`: the next call would nearly fill the bucket. */
function bucketNearlyFull(response: ProviderResponse): boolean {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(
    response.headers.get('x-shopify-shop-api-call-limit') ?? ''
  );
  return match !== null && Number(match[1]) >= Number(match[2]) - nearlyFullMargin;
}
