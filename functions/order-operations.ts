import * as df from 'durable-functions';
import { cancelOrder } from '../shared/app/journey-runtime/cancel-order';
import {
  orderJourneyView,
  pauseOrder,
  reprocessOrder,
  resumeOrder,
} from '../shared/app/journey-runtime/order-journey';
import { cancelOrderDeps, journeyInstances, orderJourneyDeps } from '../shared/app/journey-runtime/wiring';
import { updateOrder } from '../shared/app/orders/update-order';
import { updateOrderDeps } from '../shared/app/orders/wiring';
import { jsonBody } from '../shared/http/handler';
import { orderView } from '../shared/http/order-view';
import { route } from '../shared/http/route';

/** PATCH /api/v1/orders/{orderId}: fixes the customer, ship-to or a line before fulfillment. */
export const updateOrderHandler = route('updateOrder', 'PATCH', 'v1/orders/{orderId}', async (request) => {
  const body = await jsonBody(request);
  return {
    jsonBody: orderView(await updateOrder(await updateOrderDeps(), request.params.orderId ?? '', body.value)),
  };
});

/** POST /api/v1/orders/{orderId}/cancel: 200 with the cancelled order (409 where its state forbids it). */
route(
  'cancelOrder',
  'POST',
  'v1/orders/{orderId}/cancel',
  async (request, context) => {
    const instances = journeyInstances(df.getClient(context));
    const order = await cancelOrder(await cancelOrderDeps(instances), request.params.orderId ?? '');
    return { jsonBody: orderView(order, [], await orderJourneyView(instances, order)) };
  },
  { extraInputs: [df.input.durableClient()] }
);

/** Reprocess, pause and resume an order's journey: 202 with the journey as it was. */
for (const [name, operation] of [
  ['reprocessOrder', reprocessOrder],
  ['pauseOrder', pauseOrder],
  ['resumeOrder', resumeOrder],
] as const) {
  const path = name.replace('Order', '');
  route(
    name,
    'POST',
    `v1/orders/{orderId}/${path}`,
    async (request, context) => ({
      status: 202,
      jsonBody: await operation(await orderJourneyDeps(df.getClient(context)), request.params.orderId ?? ''),
    }),
    { extraInputs: [df.input.durableClient()] }
  );
}
