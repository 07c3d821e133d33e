/**
 * A local stand-in for the BigCommerce V2 Orders API (developer.bigcommerce.com, orders.v2.oas2.yml):
 * X-Auth-Token auth, V2 error bodies (an array of {status, message}), the X-Rate-Limit-* headers on every
 * answer and 429 when the window's quota is spent or a 429 is injected. The dataset is cloned from the
 * OpenAPI examples; their sub-resource links point at api.bigcommerce.com and are rewritten to this server.
 *
 * Assumed where the docs are silent: the exact 401/404/429 messages, `limit` above 250 answering 400, and
 * the 429 body (an array like other V2 errors).
 */
import * as crypto from 'node:crypto';
import {
  cloneJson,
  header,
  InjectedFaults,
  jsonText,
  readProviderPayload,
  scalarText,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

export type BigCommerceObject = Record<string, unknown>;

export interface BigCommerceOrderRecord {
  /** GET /v2/orders/{id} */
  order: BigCommerceObject & { id: number; date_created: string; date_modified: string; status_id: number };
  /** GET /v2/orders/{id}/products */
  products: BigCommerceObject[];
  /** GET /v2/orders/{id}/shipping_addresses */
  shippingAddresses: BigCommerceObject[];
}

export interface BigCommerceOrdersOptions {
  startId?: number;
  /** date_created/date_modified of the first order; later orders follow 1 s apart. */
  startDate?: string | Date;
}

const PUBLISHED_HOST = 'https://api.bigcommerce.com';
const STORE_PLACEHOLDER = '{store_hash}';

function payload<T>(name: string): T {
  return JSON.parse(readProviderPayload(`bigcommerce/${name}`)) as T;
}

/** BigCommerce V2 writes RFC-2822 dates with a numeric zone: "Tue, 05 Mar 2019 21:40:11 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** Orders cloned from the OpenAPI examples (order 218, its products and shipping addresses), fresh ids. */
export function bigCommerceOrders(
  count: number,
  options: BigCommerceOrdersOptions = {}
): BigCommerceOrderRecord[] {
  const order = payload<BigCommerceOrderRecord['order']>('v2-get-order.response.json');
  const products = payload<BigCommerceObject[]>('v2-get-order-products.response.json');
  const addresses = payload<BigCommerceObject[]>('v2-get-order-shipping-addresses.response.json');
  const startId = options.startId ?? 1000;
  const start = new Date(options.startDate ?? '2024-01-01T00:00:00Z').getTime();
  const records: BigCommerceOrderRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = startId + i;
    const date = rfc2822(new Date(start + i * 1000));
    const subresource = (name: string): { url: string; resource: string } => ({
      url: `${PUBLISHED_HOST}/stores/${STORE_PLACEHOLDER}/v2/orders/${id}/${name}`,
      resource: `/orders/${id}/${name}`,
    });
    const shippingAddresses = addresses.map((address, k) => {
      const addressId = id * 10 + k;
      return {
        ...cloneJson(address),
        id: addressId,
        order_id: id,
        shipping_quotes: {
          url: `${PUBLISHED_HOST}/stores/${STORE_PLACEHOLDER}/v2/orders/${id}/shippingaddresses/${addressId}/shippingquotes`,
          resource: `/orders/${id}/shippingaddresses/${addressId}/shippingquotes`,
        },
      };
    });
    const firstAddressId = shippingAddresses[0]?.id ?? 0;
    records.push({
      order: {
        ...cloneJson(order),
        id,
        date_created: date,
        date_modified: date,
        products: subresource('products'),
        shipping_addresses: subresource('shippingaddresses'),
        coupons: subresource('coupons'),
      },
      products: products.map((product, k) => ({
        ...cloneJson(product),
        id: id * 10 + k,
        order_id: id,
        order_address_id: firstAddressId,
      })),
      shippingAddresses,
    });
  }
  return records;
}

/**
 * A thin order webhook body, shaped like the docs' store/order/created example; `hash` is a SHA-1 of the
 * payload, as the docs describe it. store/order/statusUpdated adds data.status.
 */
export function bigCommerceWebhook(
  scope: string,
  orderId: number,
  storeHash: string,
  status?: { previous_status_id: number; new_status_id: number }
): string {
  const data: BigCommerceObject = { type: 'order', id: orderId };
  if (status) data.status = status;
  const createdAt = Math.floor(Date.now() / 1000);
  const hash = crypto
    .createHash('sha1')
    .update(JSON.stringify({ scope, data, created_at: createdAt, nonce: crypto.randomUUID() }))
    .digest('hex');
  return JSON.stringify({
    scope,
    store_id: '1025646',
    data,
    hash,
    created_at: createdAt,
    producer: `stores/${storeHash}`,
  });
}

export interface BigCommerceServerOptions {
  storeHash?: string;
  accessToken?: string;
  orders?: BigCommerceOrderRecord[] | number;
  /** Requests per window (Standard/Plus: 150 per 30 s). */
  quota?: number;
  windowMs?: number;
}

export interface BigCommerceServer {
  url: string;
  storeHash: string;
  accessToken: string;
  requests: RequestLogEntry[];
  orders: BigCommerceOrderRecord[];
  /** The next `count` requests answer 429 with Requests-Left 0. */
  inject429(count: number): void;
  /** 503 for the next N requests, or 400 `[{status, message}]` until accept(). */
  faults: InjectedFaults;
  /** Shipments created through `POST /v2/orders/{id}/shipments`, by order id. */
  shipments: Map<number, BigCommerceObject[]>;
  close(): Promise<void>;
}

const SORTABLE = new Set([
  'id',
  'customer_id',
  'date_created',
  'date_modified',
  'status_id',
  'channel_id',
  'external_id',
]);

function sortValue(order: BigCommerceOrderRecord['order'], field: string): number | string {
  if (field === 'date_created' || field === 'date_modified') return Date.parse(String(order[field]));
  const value = order[field];
  return typeof value === 'number' ? value : scalarText(value);
}

export async function startBigCommerceServer(
  options: BigCommerceServerOptions = {}
): Promise<BigCommerceServer> {
  const storeHash = options.storeHash ?? 'abc123def4';
  const accessToken = options.accessToken ?? 'local-bigcommerce-token';
  const orders = Array.isArray(options.orders) ? options.orders : bigCommerceOrders(options.orders ?? 0);
  const quota = options.quota ?? 150;
  const windowMs = options.windowMs ?? 30_000;
  let windowStart = Date.now();
  let used = 0;
  let injected = 0;
  let baseUrl = '';
  const faults = new InjectedFaults();
  const shipments = new Map<number, BigCommerceObject[]>();
  let nextShipmentId = 1;

  /** POST /v2/orders/{id}/shipments (shipping.v2.yml): order_address_id and items are required. */
  function createShipment(
    record: BigCommerceOrderRecord,
    body: string,
    headers: Record<string, string>
  ): Reply {
    let request: BigCommerceObject;
    try {
      request = JSON.parse(body) as BigCommerceObject;
    } catch {
      return v2Error(400, 'The request body is not valid JSON.', headers);
    }
    const addressId = request.order_address_id;
    if (!record.shippingAddresses.some((a) => a.id === addressId)) {
      return v2Error(400, 'The field "order_address_id" is invalid.', headers);
    }
    const items = request.items as { order_product_id?: unknown; quantity?: unknown }[] | undefined;
    if (!Array.isArray(items) || items.length === 0) {
      return v2Error(400, 'The field "items" is required.', headers);
    }
    for (const item of items) {
      const product = record.products.find((p) => p.id === item.order_product_id);
      if (
        !product ||
        typeof item.quantity !== 'number' ||
        item.quantity < 1 ||
        item.quantity > Number(product.quantity)
      ) {
        return v2Error(
          400,
          `The item with order_product_id ${String(item.order_product_id)} is invalid.`,
          headers
        );
      }
    }
    const tracking = scalarText(request.tracking_number);
    if (tracking.length > 50) return v2Error(400, 'The field "tracking_number" is too long.', headers);
    const shipment: BigCommerceObject = {
      id: nextShipmentId++,
      order_id: record.order.id,
      customer_id: record.order.customer_id ?? 0,
      order_address_id: addressId,
      date_created: rfc2822(new Date()),
      tracking_number: tracking,
      shipping_method: scalarText(request.shipping_method),
      shipping_provider: scalarText(request.shipping_provider),
      tracking_carrier: scalarText(request.tracking_carrier),
      tracking_link: scalarText(request.tracking_link),
      generated_tracking_link: '',
      comments: scalarText(request.comments),
      billing_address: record.order.billing_address ?? {},
      shipping_address: record.shippingAddresses.find((a) => a.id === addressId) ?? {},
      items: items.map((item) => ({
        order_product_id: item.order_product_id,
        product_id: 0,
        quantity: item.quantity,
      })),
    };
    const list = shipments.get(record.order.id) ?? [];
    list.push(shipment);
    shipments.set(record.order.id, list);
    return {
      status: 201,
      headers: { 'content-type': 'application/json', ...headers },
      body: jsonText(shipment),
    };
  }

  const v2Error = (status: number, message: string, headers: Record<string, string>): Reply => ({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify([{ status, message }]),
  });
  // The published examples link to api.bigcommerce.com; a client following them must reach this server.
  const localJson = (value: unknown, headers: Record<string, string>): Reply => ({
    status: 200,
    headers: { 'content-type': 'application/json', ...headers },
    body: jsonText(value)
      .split(`${PUBLISHED_HOST}/stores/${STORE_PLACEHOLDER}`)
      .join(`${baseUrl}/stores/${storeHash}`),
  });

  function listOrders(url: URL, headers: Record<string, string>): Reply {
    const params = url.searchParams;
    const page = Number(params.get('page') ?? '1');
    const limit = Number(params.get('limit') ?? '50');
    if (!Number.isInteger(page) || page < 1) return v2Error(400, 'The field "page" is invalid.', headers);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      return v2Error(400, 'The field "limit" is invalid.', headers);
    }
    const [sortField = 'id', sortDirection = 'asc'] = (params.get('sort') ?? 'id:asc').split(':');
    if (!SORTABLE.has(sortField) || !['asc', 'desc'].includes(sortDirection)) {
      return v2Error(400, 'The field "sort" is invalid.', headers);
    }
    const dateBound = (name: string): number | undefined => {
      const text = params.get(name);
      return text === null ? undefined : Date.parse(text);
    };
    const minModified = dateBound('min_date_modified');
    const maxModified = dateBound('max_date_modified');
    const minCreated = dateBound('min_date_created');
    const maxCreated = dateBound('max_date_created');
    if (
      [minModified, maxModified, minCreated, maxCreated].some(
        (bound) => bound !== undefined && Number.isNaN(bound)
      )
    ) {
      return v2Error(400, 'The date is invalid.', headers);
    }
    const minId = params.has('min_id') ? Number(params.get('min_id')) : undefined;
    const maxId = params.has('max_id') ? Number(params.get('max_id')) : undefined;
    const statusId = params.has('status_id') ? Number(params.get('status_id')) : undefined;
    const matching = orders
      .map((record) => record.order)
      .filter((order) => {
        const modified = Date.parse(order.date_modified);
        const created = Date.parse(order.date_created);
        return (
          (minModified === undefined || modified >= minModified) &&
          (maxModified === undefined || modified <= maxModified) &&
          (minCreated === undefined || created >= minCreated) &&
          (maxCreated === undefined || created <= maxCreated) &&
          (minId === undefined || order.id >= minId) &&
          (maxId === undefined || order.id <= maxId) &&
          (statusId === undefined || order.status_id === statusId)
        );
      })
      .sort((a, b) => {
        const x = sortValue(a, sortField);
        const y = sortValue(b, sortField);
        const order = x < y ? -1 : x > y ? 1 : a.id - b.id;
        return sortDirection === 'desc' ? -order : order;
      });
    const slice = matching.slice((page - 1) * limit, page * limit);
    if (slice.length === 0) return { status: 204, headers };
    return localJson(slice, headers);
  }

  function handle(request: IncomingRequest): Reply {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      used = 0;
    }
    const rateHeaders = (left: number): Record<string, string> => ({
      'X-Rate-Limit-Time-Window-Ms': String(windowMs),
      'X-Rate-Limit-Time-Reset-Ms': String(Math.max(0, windowStart + windowMs - now)),
      'X-Rate-Limit-Requests-Quota': String(quota),
      'X-Rate-Limit-Requests-Left': String(left),
    });
    if (header(request.headers, 'x-auth-token') !== accessToken) {
      return v2Error(
        401,
        'You are not authorized to access this resource. Check the X-Auth-Token header.',
        rateHeaders(quota - used)
      );
    }
    if (injected > 0 || used >= quota) {
      if (injected > 0) injected--;
      const headers = rateHeaders(0);
      const resetSeconds = Math.ceil(Number(headers['X-Rate-Limit-Time-Reset-Ms']) / 1000);
      return v2Error(429, 'Too many requests. Wait for the rate-limit window to reset.', {
        ...headers,
        'X-Retry-After': String(resetSeconds),
      });
    }
    used++;
    const headers = rateHeaders(quota - used);
    const fault = faults.take();
    if (fault?.kind === 'unavailable') return v2Error(503, 'Service Unavailable', headers);
    if (fault?.kind === 'refused') return v2Error(400, fault.message, headers);
    const prefix = `/stores/${storeHash}/v2/orders`;
    const path = request.url.pathname.replace(/\.json$/, '');
    const shipmentsPath = /^\/(\d+)\/shipments$/.exec(path.slice(prefix.length));
    if (path.startsWith(prefix) && shipmentsPath) {
      const record = orders.find((candidate) => candidate.order.id === Number(shipmentsPath[1]));
      if (!record) return v2Error(404, 'The requested resource was not found.', headers);
      if (request.method === 'POST') return createShipment(record, request.body, headers);
      const list = shipments.get(record.order.id) ?? [];
      return list.length === 0 ? { status: 204, headers } : localJson(list, headers);
    }
    if (request.method !== 'GET' || !path.startsWith(prefix)) {
      return v2Error(404, 'The requested resource was not found.', headers);
    }
    if (path === prefix) return listOrders(request.url, headers);
    if (path === `${prefix}/count`) return localJson({ count: orders.length }, headers);
    const match = /^\/(\d+)(?:\/(products|shipping_addresses|shippingaddresses))?$/.exec(
      path.slice(prefix.length)
    );
    const record = match ? orders.find((candidate) => candidate.order.id === Number(match[1])) : undefined;
    if (!match || !record) return v2Error(404, 'The requested resource was not found.', headers);
    if (match[2] === 'products') return localJson(record.products, headers);
    if (match[2]) return localJson(record.shippingAddresses, headers);
    return localJson(record.order, headers);
  }

  const server = await serveLocally(handle);
  baseUrl = server.url;
  return {
    url: server.url,
    storeHash,
    accessToken,
    requests: server.requests,
    orders,
    inject429(count: number) {
      injected = count;
    },
    faults,
    shipments,
    close: () => server.close(),
  };
}
