import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import type { FulfillmentOrder } from '../../shared/domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../shared/domain/orders/order';
import type { ActionCall } from '../../shared/ports/provider-plugins';
import { createShipment } from '../../shared/providers/bigcommerce/shipment-actions';
import { cancelFulfillment, createFulfillment } from '../../shared/providers/shopify/fulfillment-actions';
import {
  bigCommerceOrders,
  startBigCommerceServer,
  type BigCommerceServer,
} from '../support/provider-servers/bigcommerce-server';
import {
  shopifyOrders,
  startShopifyAdminServer,
  type ShopifyAdminServer,
} from '../support/provider-servers/shopify-admin-server';

const http = new ProviderHttpClient({ sleep: () => Promise.resolve(), maxAttempts: 3 });
const now = new Date('2026-03-04T10:00:00Z');

function order(instanceId: string, externalId: string, lineIds: string[]): Order {
  return {
    id: 'o-1',
    type: 'order',
    orderId: 'o-1',
    externalId,
    channel: instanceId,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '40202', country: 'US' },
    lines: lineIds.map((lineId) => ({ lineId, sku: `SKU-${lineId}`, quantity: 1, state: 'new' })),
    state: 'new',
    intakeKey: 'k',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

function shippedFo(source: Order, shipped: number[]): FulfillmentOrder {
  return {
    id: 'fo-1',
    type: 'fulfillmentOrder',
    sourceId: 'WH',
    orderIds: [source.orderId],
    customerKey: 'order:o-1',
    shipTo: source.shipTo,
    state: 'shipped',
    lines: source.lines.map((line, i) => ({
      id: `o-1:${line.lineId}`,
      orderId: 'o-1',
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      state: 'shipped',
      picked: 0,
      packed: 0,
      shipped: shipped[i] ?? 0,
      delivered: 0,
      cancelled: 0,
      reservations: [],
    })),
    shipments: [
      {
        id: 's1',
        carrier: 'UPS',
        trackingNumber: '1ZTRACK',
        url: 'https://ups.example/1ZTRACK',
        shippedAt: now.toISOString(),
        lines: [],
      },
    ],
    appliedEventIds: [],
    sendAfter: now.toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

const actionCall = (
  connection: ActionCall['connection'],
  action: string,
  source: Order,
  shipped: number[]
): ActionCall => ({
  connection,
  action,
  subject: { type: 'fulfillmentOrder', fulfillmentOrder: shippedFo(source, shipped), orders: [source] },
  idempotencyKey: 'key',
  now,
});

describe('BigCommerce createShipment against the local store', () => {
  let store: BigCommerceServer;
  beforeEach(async () => {
    store = await startBigCommerceServer({ orders: bigCommerceOrders(1, { startId: 500 }) });
  });
  afterEach(() => store.close());

  it('posts one shipment with tracking, items by order product id, the first shipping address; not again for the same tracking', async () => {
    const record = store.orders[0]!;
    const products = record.products.map((p) => String(p.id));
    const source = order('bc', String(record.order.id), products);
    const connection = {
      instanceId: 'bc',
      parameters: { apiUrl: store.url, storeHash: store.storeHash },
      secrets: { accessToken: store.accessToken },
    };
    const answer = await createShipment(
      actionCall(
        connection,
        'createShipment',
        source,
        products.map(() => 1)
      ),
      http
    );
    const posted = store.requests.filter((r) => r.method === 'POST');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.path).toBe(`/stores/${store.storeHash}/v2/orders/500/shipments`);
    expect(JSON.parse(posted[0]!.body)).toEqual({
      order_address_id: record.shippingAddresses[0]!.id,
      tracking_number: '1ZTRACK',
      shipping_provider: '',
      tracking_carrier: 'ups',
      tracking_link: 'https://ups.example/1ZTRACK',
      items: products.map((id) => ({ order_product_id: Number(id), quantity: 1 })),
    });
    expect(answer.effects).toEqual([{ type: 'externalReference', system: 'bc:500', id: '1' }]);

    await createShipment(
      actionCall(
        connection,
        'createShipment',
        source,
        products.map(() => 1)
      ),
      http
    );
    expect(store.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(store.shipments.get(500)).toHaveLength(1);

    store.faults.refuse('The field "tracking_number" is invalid.');
    await expect(
      createShipment(actionCall(connection, 'createShipment', order('bc', '500', products), [1]), http)
    ).rejects.toMatchObject({ status: 400, message: 'The field "tracking_number" is invalid.' });
  });
});

describe('Shopify fulfillment actions against the local store', () => {
  let store: ShopifyAdminServer;
  beforeEach(async () => {
    store = await startShopifyAdminServer({ orders: shopifyOrders(1) });
  });
  afterEach(() => store.close());

  it('creates a fulfillment for what shipped, posts nothing when nothing is left, cancels it by its tracking number', async () => {
    const shopOrder = store.orders[0]!;
    const source = order(
      'shop',
      String(shopOrder.id),
      shopOrder.line_items.map((l) => String(l.id))
    );
    const connection = {
      instanceId: 'shop',
      parameters: { shopUrl: store.url },
      secrets: { accessToken: store.accessToken },
    };
    // Two of the three lines shipped.
    await createFulfillment(actionCall(connection, 'createFulfillment', source, [1, 1, 0]), http);
    expect(store.fulfillments).toHaveLength(1);
    expect(store.fulfillments[0]!.line_items.map((l) => String(l.id))).toEqual(
      source.lines.slice(0, 2).map((l) => l.lineId)
    );
    const again = await createFulfillment(
      actionCall(connection, 'createFulfillment', source, [1, 1, 0]),
      http
    );
    expect(again.detail).toMatch(/nothing left to fulfil/);
    expect(store.fulfillments).toHaveLength(1);

    const cancelled = await cancelFulfillment(
      actionCall(connection, 'cancelFulfillment', source, [1, 1, 0]),
      http
    );
    expect(cancelled.detail).toBe(`cancelled fulfillments ${String(store.fulfillments[0]!.id)}`);
    expect(store.fulfillments[0]!.status).toBe('cancelled');

    store.faults.refuse('Fulfillment order is closed');
    await expect(
      createFulfillment(actionCall(connection, 'createFulfillment', source, [1, 1, 1]), http)
    ).rejects.toMatchObject({
      status: 400,
      message: 'Fulfillment order is closed',
    });
  });
});
