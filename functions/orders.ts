import * as df from 'durable-functions';
import { orderDetails } from '../shared/app/journey-runtime/order-journey';
import { orderJourneyDeps } from '../shared/app/journey-runtime/wiring';
import { acceptOrder } from '../shared/app/intake/accept-order';
import { acceptOrderDeps } from '../shared/app/intake/wiring';
import { listOrders } from '../shared/app/orders/list-orders';
import { orderTimeline } from '../shared/app/orders/order-timeline';
import { orderQueryDeps } from '../shared/app/orders/wiring';
import { jsonBody, pageBody, pageQuery } from '../shared/http/handler';
import { orderView, timelineView } from '../shared/http/order-view';
import { route } from '../shared/http/route';

const ordersPath = '/api/v1/orders';

/** POST /api/v1/orders: direct intake, answered 202 once the order is queued. */
export const postOrder = route('postOrder', 'POST', 'v1/orders', async (request) => {
  const body = await jsonBody(request);
  const key = request.headers.get('idempotency-key')?.trim() || undefined;
  const accepted = await acceptOrder(await acceptOrderDeps(), body.value, body.text, key);
  const statusUrl = `${ordersPath}/${accepted.orderId}`;
  return { status: 202, headers: { location: statusUrl }, jsonBody: { ...accepted, statusUrl } };
});

/** GET /api/v1/orders?externalId=&state=&channel=&createdFrom=&createdTo=&top=&continuationToken=: a page of orders. */
export const listOrdersHandler = route('listOrders', 'GET', 'v1/orders', async (request) => {
  const query = pageQuery(request, ['externalId', 'state', 'channel', 'createdFrom', 'createdTo']);
  const page = await listOrders(await orderQueryDeps(), query);
  return { jsonBody: pageBody(page, (order) => orderView(order)) };
});

/** GET /api/v1/orders/{orderId}: the order, or 404 `order-not-found`. */
export const getOrderHandler = route(
  'getOrder',
  'GET',
  'v1/orders/{orderId}',
  async (request, context) => {
    const deps = await orderJourneyDeps(df.getClient(context));
    const { order, fulfillmentOrders, journey } = await orderDetails(deps, request.params.orderId ?? '');
    return { jsonBody: orderView(order, fulfillmentOrders, journey) };
  },
  { extraInputs: [df.input.durableClient()] }
);

/** GET /api/v1/orders/{orderId}/timeline: `{items}`, oldest first; 404 for an unknown order. */
export const orderTimelineHandler = route(
  'getOrderTimeline',
  'GET',
  'v1/orders/{orderId}/timeline',
  async (request) => ({
    jsonBody: {
      items: (await orderTimeline(await orderQueryDeps(), request.params.orderId ?? '')).map(timelineView),
    },
  })
);
