import { recordFulfillmentOrderEvent } from '../shared/app/fulfillment-orders/record-fulfillment-order-event';
import {
  getFulfillmentOrder,
  listFulfillmentOrders,
} from '../shared/app/fulfillment-orders/query-fulfillment-orders';
import { fulfillmentOrderDeps, fulfillmentOrderQueryDeps } from '../shared/app/fulfillment-orders/wiring';
import { fulfillmentOrderView } from '../shared/http/fulfillment-order-view';
import { jsonBody, pageBody, pageQuery } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** GET /api/v1/fulfillment-orders/{foId}: the FO, or 404 `fulfillment-order-not-found`. */
export const getFulfillmentOrderHandler = route(
  'getFulfillmentOrder',
  'GET',
  'v1/fulfillment-orders/{foId}',
  async (request) => ({
    jsonBody: fulfillmentOrderView(
      await getFulfillmentOrder(await fulfillmentOrderQueryDeps(), request.params.foId ?? '')
    ),
  })
);

/** GET /api/v1/fulfillment-orders?orderId=&sourceId=&state=&top=&continuationToken=: a page of FOs. */
export const listFulfillmentOrdersHandler = route(
  'listFulfillmentOrders',
  'GET',
  'v1/fulfillment-orders',
  async (request) => {
    const query = pageQuery(request, ['orderId', 'sourceId', 'state']);
    const page = await listFulfillmentOrders(await fulfillmentOrderQueryDeps(), query);
    return { jsonBody: pageBody(page, fulfillmentOrderView) };
  }
);

/** POST /api/v1/fulfillment-orders/{foId}/events: a status event; 200 with the FO. */
export const postFulfillmentOrderEventHandler = route(
  'postFulfillmentOrderEvent',
  'POST',
  'v1/fulfillment-orders/{foId}/events',
  async (request) => {
    const body = await jsonBody(request);
    const { fulfillmentOrder, duplicate } = await recordFulfillmentOrderEvent(
      await fulfillmentOrderDeps(),
      request.params.foId ?? '',
      body.value
    );
    return {
      ...(duplicate ? { headers: { 'idempotent-replayed': 'true' } } : {}),
      jsonBody: fulfillmentOrderView(fulfillmentOrder),
    };
  }
);
