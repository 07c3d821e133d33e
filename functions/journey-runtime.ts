import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { deliverJourneySignals } from '../shared/app/journey-runtime/deliver-journey-signals';
import { cancelOrder } from '../shared/app/journey-runtime/cancel-order';
import {
  orderJourneyView,
  pauseOrder,
  reprocessOrder,
  resumeOrder,
} from '../shared/app/journey-runtime/order-journey';
import { orderView } from '../shared/http/order-view';
import {
  recordJourneyFailure,
  runJourneyStep,
  type StepRequest,
} from '../shared/app/journey-runtime/run-journey-step';
import {
  cancelOrderDeps,
  journeyFunctions,
  journeyInstances,
  journeyOrchestrator,
  journeySignalsQueueName,
  journeyStepDeps,
  loadJourneyVersion,
} from '../shared/app/journey-runtime/wiring';
import { getOrderRepository } from '../shared/app/orders/wiring';
import { route } from '../shared/http/route';

/** The journey orchestrator and its activities (docs/journeys.md). */
df.app.orchestration(journeyFunctions.orchestrator, journeyOrchestrator);
df.app.activity(journeyFunctions.loadJourney, { handler: loadJourneyVersion });
df.app.activity(journeyFunctions.step, {
  handler: async (request: StepRequest) => runJourneyStep(await journeyStepDeps(), request),
});
df.app.activity(journeyFunctions.failure, {
  handler: async (request: Parameters<typeof recordJourneyFailure>[1]) =>
    recordJourneyFailure(await journeyStepDeps(), request),
});

/** Starts of journey instances and business events raised on their entities from outside. */
app.storageQueue('deliverJourneySignals', {
  queueName: journeySignalsQueueName,
  connection: 'AzureWebJobsStorage',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    await deliverJourneySignals(journeyInstances(df.getClient(context)), message);
  },
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
      jsonBody: await operation(
        { orders: await getOrderRepository(), instances: journeyInstances(df.getClient(context)) },
        request.params.orderId ?? ''
      ),
    }),
    { extraInputs: [df.input.durableClient()] }
  );
}
