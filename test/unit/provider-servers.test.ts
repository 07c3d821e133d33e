/**
 * The local provider servers speak each provider's documented contract: auth, paging that visits every
 * order exactly once, the provider's rate-limit signal and exact large ids.
 */
import * as crypto from 'node:crypto';
import {
  adobeCommerceOrders,
  startAdobeCommerceServer,
  type AdobeCommerceServer,
} from '../support/provider-servers/adobe-commerce-server';
import {
  bigCommerceWebhook,
  startBigCommerceServer,
  type BigCommerceServer,
} from '../support/provider-servers/bigcommerce-server';
import {
  startOrderfulServer,
  type OrderfulServer,
  type OrderfulTransaction,
} from '../support/provider-servers/orderful-server';
import {
  shopifyJson,
  shopifyOrders,
  shopifyWebhookHeaders,
  signShopifyWebhook,
  startShopifyAdminServer,
  type ShopifyAdminServer,
} from '../support/provider-servers/shopify-admin-server';

interface Closable {
  close(): Promise<void>;
}

const started: Closable[] = [];
async function track<T extends Closable>(server: Promise<T>): Promise<T> {
  const value = await server;
  started.push(value);
  return value;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** The URL of the Link header entry with the given rel. */
function linkRel(link: string | null, rel: string): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[2] === rel) return match[1];
  }
  return undefined;
}

describe('Shopify Admin server', () => {
  let shopify: ShopifyAdminServer;
  const get = (path: string, token = shopify.accessToken): Promise<Response> =>
    fetch(path.startsWith('http') ? path : `${shopify.url}/admin/api/${shopify.apiVersion}${path}`, {
      headers: { 'X-Shopify-Access-Token': token },
    });

  beforeEach(async () => {
    shopify = await track(startShopifyAdminServer({ orders: 23 }));
  });

  it('answers 401 with the documented body without the right token', async () => {
    const response = await get('/orders.json', 'wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
    expect(response.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
    expect(shopify.requests[0]).toMatchObject({ method: 'GET', status: 401 });
  });

  it('walks every order exactly once through Link cursors, in (updated_at, id) order', async () => {
    // Two orders share an updated_at so the id tie-break matters; one is cancelled and needs status=any.
    const [a, b] = [shopify.orders[5], shopify.orders[6]];
    if (!a || !b) throw new Error('dataset too small');
    b.updated_at = a.updated_at;
    shopify.orders[3]!.cancelled_at = shopify.orders[3]!.updated_at;
    const seen: string[] = [];
    let next: string | undefined = `/orders.json?status=any&limit=5`;
    let pages = 0;
    let previous: string | undefined;
    while (next) {
      const response = await get(next);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
      const body = (await response.json()) as { orders: { id: number }[] };
      seen.push(...body.orders.map((order) => String(order.id)));
      const link = response.headers.get('link');
      if (pages > 0) previous = linkRel(link, 'previous');
      if (pages === 0) expect(linkRel(link, 'previous')).toBeUndefined();
      next = linkRel(link, 'next');
      if (next) expect(new URL(next).search).toMatch(/^\?page_info=[^&]+&limit=5$/);
      pages++;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(shopify.orders.map((order) => order.id.toString()));
    expect(previous).toBeDefined();
    const back = (await (await get(previous!)).json()) as { orders: { id: number }[] };
    expect(back.orders.map((order) => String(order.id))).toEqual(seen.slice(15, 20));

    const open = (await (await get('/orders.json?limit=250')).json()) as { orders: unknown[] };
    expect(open.orders).toHaveLength(22);
  });

  it('filters by updated_at_min and since_id, and rejects page, filters with page_info and limit > 250', async () => {
    const watermark = shopify.orders[20]!.updated_at;
    const recent = (await (
      await get(`/orders.json?status=any&updated_at_min=${encodeURIComponent(watermark)}`)
    ).json()) as {
      orders: { id: number }[];
    };
    expect(recent.orders.map((order) => String(order.id))).toEqual(
      shopify.orders.slice(20).map((o) => o.id.toString())
    );
    const since = (await (await get(`/orders.json?since_id=${shopify.orders[21]!.id}`)).json()) as {
      orders: unknown[];
    };
    expect(since.orders).toHaveLength(1);

    expect((await get('/orders.json?page=2')).status).toBe(400);
    expect((await get('/orders.json?limit=251')).status).toBe(400);
    const first = await get('/orders.json?limit=5');
    const next = linkRel(first.headers.get('link'), 'next')!;
    expect((await get(`${next}&updated_at_min=2020-01-01T00:00:00Z`)).status).toBe(400);
  });

  it('serves one order, and 404 with the documented body', async () => {
    const id = shopify.orders[2]!.id;
    const found = (await (await get(`/orders/${id}.json`)).json()) as { order: { id: number; name: string } };
    expect(found.order).toMatchObject({ id: Number(id), name: '#1003' });
    const missing = await get('/orders/1.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: 'Not Found' });
  });

  it('answers injected 429s with Retry-After, and 429 when the leaky bucket is full', async () => {
    shopify.inject429(2, 2);
    for (let i = 0; i < 2; i++) {
      const response = await get('/orders.json');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2.0');
      expect(response.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
    }
    expect((await get('/orders.json')).status).toBe(200);

    const tight = await track(startShopifyAdminServer({ orders: 1, bucketSize: 3, leakPerSecond: 0.001 }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${tight.url}/admin/api/${tight.apiVersion}/orders.json`, {
        headers: { 'X-Shopify-Access-Token': tight.accessToken },
      });
      statuses.push(response.status);
      if (i === 2) expect(response.headers.get('x-shopify-shop-api-call-limit')).toBe('3/3');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('serves ids beyond 2^53 as exact number literals', async () => {
    const big = await track(
      startShopifyAdminServer({ orders: shopifyOrders(3, { bigIds: true, lines: 5 }) })
    );
    const id = big.orders[1]!.id;
    expect(id > 2n ** 53n).toBe(true);
    const text = await (
      await fetch(`${big.url}/admin/api/${big.apiVersion}/orders.json`, {
        headers: { 'X-Shopify-Access-Token': big.accessToken },
      })
    ).text();
    expect(text).toContain(`"id":${id.toString()},`);
    expect(text).not.toContain(`"id":"${id.toString()}"`);
    expect(big.orders[0]!.line_items).toHaveLength(5);
    expect(new Set(big.orders[0]!.line_items.map((line) => line.sku)).size).toBe(5);
    expect(shopifyJson({ id })).toBe(`{"id":${id.toString()}}`);
  });

  it('signs webhooks the way Shopify verifies them', () => {
    const body = shopifyJson(shopify.orders[0]);
    const headers = shopifyWebhookHeaders({
      topic: 'orders/create',
      body,
      secret: 'hush',
      shopDomain: shopify.shopDomain,
    });
    const expected = crypto.createHmac('sha256', 'hush').update(Buffer.from(body)).digest('base64');
    expect(headers['X-Shopify-Hmac-Sha256']).toBe(expected);
    expect(signShopifyWebhook(Buffer.from(body), 'hush')).toBe(expected);
    for (const name of [
      'X-Shopify-Topic',
      'X-Shopify-Shop-Domain',
      'X-Shopify-API-Version',
      'X-Shopify-Webhook-Id',
    ]) {
      expect(headers[name]).toBeTruthy();
    }
  });
});

describe('BigCommerce server', () => {
  let store: BigCommerceServer;
  const get = (path: string, token = store.accessToken): Promise<Response> =>
    fetch(`${store.url}/stores/${store.storeHash}/v2${path}`, {
      headers: { 'X-Auth-Token': token, Accept: 'application/json' },
    });

  beforeEach(async () => {
    store = await track(startBigCommerceServer({ orders: 7 }));
  });

  it('answers 401 and 404 with V2 error arrays and rate-limit headers', async () => {
    const denied = await get('/orders/1000', 'wrong');
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual([{ status: 401, message: expect.any(String) }]);
    const missing = await get('/orders/1');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([{ status: 404, message: expect.any(String) }]);
    for (const name of ['window-ms', 'reset-ms', 'requests-quota', 'requests-left']) {
      expect(
        missing.headers.get(`x-rate-limit-${name.replace(/^(window|reset)-ms$/, 'time-$1-ms')}`)
      ).toMatch(/^\d+$/);
    }
  });

  it('serves an order with its products and shipping addresses, links rewritten to this server', async () => {
    const order = (await (await get('/orders/1003')).json()) as { id: number; products: { url: string } };
    expect(order.id).toBe(1003);
    expect(order.products.url).toBe(`${store.url}/stores/${store.storeHash}/v2/orders/1003/products`);
    const products = (await (await get('/orders/1003/products')).json()) as {
      order_id: number;
      sku: string;
    }[];
    expect(products.map((product) => product.order_id)).toEqual([1003, 1003]);
    const addressResponse = await fetch(order.products.url.replace('products', 'shipping_addresses'), {
      headers: { 'X-Auth-Token': store.accessToken },
    });
    const addresses = (await addressResponse.json()) as { order_id: number }[];
    expect(addresses[0]?.order_id).toBe(1003);
  });

  it('pages the order list with page/limit and min_date_modified, 204 past the end', async () => {
    const since = encodeURIComponent(store.orders[2]!.order.date_modified);
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const response = await get(
        `/orders?min_date_modified=${since}&sort=date_modified:asc&limit=2&page=${page}`
      );
      if (response.status === 204) break;
      expect(response.status).toBe(200);
      ids.push(...((await response.json()) as { id: number }[]).map((order) => order.id));
    }
    expect(ids).toEqual([1002, 1003, 1004, 1005, 1006]);
  });

  it('answers injected 429s with Requests-Left 0 and a reset time', async () => {
    store.inject429(1);
    const limited = await get('/orders/1000');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-requests-left')).toBe('0');
    expect(Number(limited.headers.get('x-rate-limit-time-reset-ms'))).toBeGreaterThan(0);
    expect((await get('/orders/1000')).status).toBe(200);
  });

  it('builds thin webhook bodies', () => {
    const hook = JSON.parse(bigCommerceWebhook('store/order/created', 1003, store.storeHash)) as Record<
      string,
      unknown
    >;
    expect(hook).toMatchObject({
      scope: 'store/order/created',
      data: { type: 'order', id: 1003 },
      producer: `stores/${store.storeHash}`,
    });
    expect(hook.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof hook.created_at).toBe('number');
  });
});

describe('Adobe Commerce server', () => {
  let magento: AdobeCommerceServer;
  const search = (query: string, token = magento.token): Promise<Response> =>
    fetch(`${magento.url}/rest/${magento.storeCode}/V1/orders?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  beforeEach(async () => {
    magento = await track(startAdobeCommerceServer({ orders: adobeCommerceOrders(11, { startId: 40 }) }));
  });

  it('answers 401 with the documented body', async () => {
    const response = await search('searchCriteria[pageSize]=1', 'wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      message: "The consumer isn't authorized to access %resources.",
      parameters: { resources: 'Magento_Sales::actions_view' },
    });
  });

  it('pages an updated_at search by total_count; a page past the end repeats the last page', async () => {
    const from = magento.orders[3]!.updated_at;
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const criteria = [
      'searchCriteria[filter_groups][0][filters][0][field]=updated_at',
      `searchCriteria[filter_groups][0][filters][0][value]=${encodeURIComponent(from)}`,
      'searchCriteria[filter_groups][0][filters][0][condition_type]=gteq',
      'searchCriteria[sortOrders][0][field]=updated_at',
      'searchCriteria[sortOrders][0][direction]=ASC',
      'searchCriteria[pageSize]=3',
    ].join('&');
    type Page = { items: { entity_id: number; increment_id: string }[]; total_count: number };
    const ids: number[] = [];
    let total = Infinity;
    for (let page = 1; (page - 1) * 3 < total; page++) {
      const body = (await (await search(`${criteria}&searchCriteria[currentPage]=${page}`)).json()) as Page;
      total = body.total_count;
      ids.push(...body.items.map((order) => order.entity_id));
    }
    expect(total).toBe(8);
    expect(ids).toEqual([43, 44, 45, 46, 47, 48, 49, 50]);
    const past = (await (await search(`${criteria}&searchCriteria[currentPage]=4`)).json()) as Page;
    expect(past.items.map((order) => order.entity_id)).toEqual([49, 50]);
  });

  it('ORs filters in a group and ANDs groups', async () => {
    const query = [
      'searchCriteria[filter_groups][0][filters][0][field]=entity_id',
      'searchCriteria[filter_groups][0][filters][0][value]=41',
      'searchCriteria[filter_groups][0][filters][1][field]=increment_id',
      'searchCriteria[filter_groups][0][filters][1][value]=000000045',
      'searchCriteria[filter_groups][1][filters][0][field]=entity_id',
      'searchCriteria[filter_groups][1][filters][0][value]=42',
      'searchCriteria[filter_groups][1][filters][0][condition_type]=gt',
    ].join('&');
    const body = (await (await search(query)).json()) as {
      items: { entity_id: number }[];
      search_criteria: unknown;
    };
    expect(body.items.map((order) => order.entity_id)).toEqual([45]);
    expect(body.search_criteria).toMatchObject({
      filter_groups: [{ filters: [{ field: 'entity_id', condition_type: 'eq' }, {}] }, {}],
    });
  });

  it('answers injected 429s with the documented body', async () => {
    magento.inject429(1);
    const limited = await search('searchCriteria[pageSize]=1');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: 'Too Many Requests', trace: null });
    expect((await search('searchCriteria[pageSize]=1')).status).toBe(200);
  });
});

describe('Orderful server', () => {
  let orderful: OrderfulServer;
  const call = (url: string, method = 'GET', key = orderful.apiKey): Promise<Response> =>
    fetch(url.startsWith('http') ? url : `${orderful.url}${url}`, {
      method,
      headers: { 'orderful-api-key': key },
    });
  type Bucket = {
    data: OrderfulTransaction[];
    metadata: { pagination: { links: { next?: string; prev?: string } } };
  };

  beforeEach(async () => {
    orderful = await track(startOrderfulServer({ transactions: 12 }));
  });

  it('answers 401 without the api key', async () => {
    expect((await call(`/v3/polling-buckets/${orderful.bucketId}`, 'GET', 'wrong')).status).toBe(401);
  });

  it('walks the bucket with nextCursor links, then approving deliveries empties it', async () => {
    const seen: OrderfulTransaction[] = [];
    let next: string | undefined = `/v3/polling-buckets/${orderful.bucketId}?limit=5`;
    while (next) {
      const body = (await (await call(next)).json()) as Bucket;
      seen.push(...body.data);
      next = body.metadata.pagination.links.next;
      if (next) expect(next).toContain('nextCursor=');
    }
    expect(seen.map((transaction) => transaction.id)).toEqual(
      orderful.transactions.map((transaction) => transaction.id)
    );
    const first = seen[0]!;
    expect(first.type.name).toBe('850_PURCHASE_ORDER');
    const set = first.message.transactionSets[0] as {
      beginningSegmentForPurchaseOrder: { purchaseOrderNumber: string }[];
      PO1_loop: { baselineItemData: { quantity: string; unitPrice: string; productServiceID1: string }[] }[];
    };
    expect(set.beginningSegmentForPurchaseOrder[0]?.purchaseOrderNumber).toBe('365465413');
    expect(set.PO1_loop.map((loop) => loop.baselineItemData[0])).toEqual([
      expect.objectContaining({ quantity: '0008', unitPrice: '400', productServiceID1: 'ACM/8900-400' }),
      expect.objectContaining({ quantity: '0004', unitPrice: '125', productServiceID1: 'ACM/1100-001' }),
    ]);

    for (const transaction of seen) {
      const approve = transaction.delivery!.approve.href;
      expect((await call(approve, 'POST')).status).toBe(200);
    }
    // Approving again is harmless.
    expect((await call(seen[0]!.delivery!.approve.href, 'POST')).status).toBe(200);
    expect(orderful.approved).toHaveLength(12);
    const empty = (await (await call(`/v3/polling-buckets/${orderful.bucketId}`)).json()) as Bucket;
    expect(empty.data).toEqual([]);
  });

  it('answers injected 429s with Retry-After', async () => {
    orderful.inject429(1, 3);
    const limited = await call(`/v3/polling-buckets/${orderful.bucketId}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call(`/v3/polling-buckets/${orderful.bucketId}`)).status).toBe(200);
  });
});
