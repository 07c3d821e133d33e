import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import {
  planFulfillmentRequest,
  planFulfillmentStep,
} from '../shared/app/fulfillment/plan-fulfillment-request';
import { getPlanRequestDeps, planActivityDeps } from '../shared/app/fulfillment/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** POST /api/v1/fulfillment/plan: the optimizer's plan for one ship-to and its lines; changes nothing. */
export const planHandler = route('planFulfillment', 'POST', 'v1/fulfillment/plan', async (request) => {
  const body = await jsonBody(request);
  return { jsonBody: await planFulfillmentRequest(await getPlanRequestDeps(), body.value) };
});

/**
 * The journey step: `{orderId, strategyId?}` plans a stored order, anything else is read as a plan
 * request body. It only computes (as the plan API); a failure (unknown order, invalid input) fails the
 * activity with the problem's message (a validation failure's paths included), and the orchestration
 * decides what to do with that.
 */
df.app.activity('planFulfillmentActivity', {
  handler: async (input: unknown) => planFulfillmentStep(await planActivityDeps(), input),
});

/** A minimal orchestration around the activity, so the step can be run through the Durable HTTP API. */
df.app.orchestration('planFulfillmentOrchestrator', function* (context: OrchestrationContext) {
  return (yield context.df.callActivity('planFulfillmentActivity', context.df.getInput())) as unknown;
});
