import * as df from 'durable-functions';
import { orderJourneyView } from '../shared/app/journey-runtime/order-journey';
import { journeyInstances } from '../shared/app/journey-runtime/wiring';
import { acceptOrder } from '../shared/app/intake/accept-order';
import { acceptOrderDeps } from '../shared/app/intake/wiring';
import { getOrder } from '../shared/app/orders/get-order';
import { listOrders } from '../shared/app/orders/list-orders';
import { orderTimeline } from '../shared/app/orders/order-timeline';
import { orderQueryDeps, updateOrderDeps } from '../shared/app/orders/wiring';
import { updateOrder } from '../shared/app/orders/update-order';
import { jsonBody, pageBody } from '../shared/http/handler';
import { orderView, timelineView } from '../shared/http/order-view';
import { problem } from '../shared/http/problem';
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

/** GET /api/v1/orders?externalId=&state=&top=&continuationToken=: a page of orders. */
export const listOrdersHandler = route('listOrders', 'GET', 'v1/orders', async (request) => {
  const top = Number(request.query.get('top') ?? 50);
  if (!Number.isInteger(top) || top < 1 || top > 500) {
    return problem(400, 'Bad request', 'top must be an integer from 1 to 500.', {
      extra: { errors: [{ path: '/top', message: 'must be an integer from 1 to 500' }] },
    });
  }
  const page = await listOrders(await orderQueryDeps(), {
    top,
    ...optional('externalId', request.query.get('externalId')),
    ...optional('state', request.query.get('state')),
    ...optional('continuationToken', request.query.get('continuationToken')),
  });
  return { jsonBody: pageBody(page, (order) => orderView(order)) };
});

/** GET /api/v1/orders/{orderId}: the order, or 404 `order-not-found`. */
export const getOrderHandler = route(
  'getOrder',
  'GET',
  'v1/orders/{orderId}',
  async (request, context) => {
    const { order, fulfillmentOrders } = await getOrder(await orderQueryDeps(), request.params.orderId ?? '');
    const journey = await orderJourneyView(journeyInstances(df.getClient(context)), order);
    return { jsonBody: orderView(order, fulfillmentOrders, journey) };
  },
  { extraInputs: [df.input.durableClient()] }
);

/** PATCH /api/v1/orders/{orderId}: fixes the customer, ship-to or a line before fulfillment. */
export const updateOrderHandler = route('updateOrder', 'PATCH', 'v1/orders/{orderId}', async (request) => {
  const body = await jsonBody(request);
  return {
    jsonBody: orderView(await updateOrder(await updateOrderDeps(), request.params.orderId ?? '', body.value)),
  };
});

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

function optional(name: string, value: string | null): Record<string, string> {
  return value ? { [name]: value } : {};
}
