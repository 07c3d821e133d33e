import { app } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { deleteStrategy, getStrategy, putStrategy } from '../shared/app/fulfillment/fulfillment-strategies';
import { planFulfillmentActivity, planFulfillmentRequest } from '../shared/app/fulfillment/plan-fulfillment-request';
import {
  getClock,
  getOrderRepository,
  getPlanRequestDeps,
  getSourceListRepository,
  getStrategyRepository,
  getStrategyValidators,
} from '../shared/composition';
import { ValidationError } from '../shared/domain/errors';
import { parseEntityTags } from '../shared/app/common/entity-tags';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const strategiesPath = '/api/v1/fulfillment/strategies';

/**
 * PUT /api/v1/fulfillment/strategies/{id}: create (201) or replace (200); exactly one default (making
 * one the default unsets the previous in the same batch; unsetting the default is 409). ETags as for products.
 */
export const putStrategyHandler = jsonHandler(async (request, body) => {
  const deps = {
    validators: getStrategyValidators(),
    strategies: await getStrategyRepository(),
    sourceLists: await getSourceListRepository(),
    clock: getClock(),
  };
  const result = await putStrategy(deps, request.params.id ?? '', body, writePreconditionsOf(request));
  return putAnswer(strategiesPath, result.strategy.id, result.strategy, result);
});

/** GET /api/v1/fulfillment/strategies/{id}: the strategy with its ETag, or 404 `strategy-not-found`. */
export const getStrategyHandler = handler(async (request) => {
  const deps = { validators: getStrategyValidators(), strategies: await getStrategyRepository() };
  const found = await getStrategy(deps, request.params.id ?? '');
  return versionedAnswer(found.strategy, found.etag);
});

/** DELETE /api/v1/fulfillment/strategies/{id}: 204; 409 for the default or another's alternate; 412 on If-Match. */
export const deleteStrategyHandler = handler(async (request) => {
  const deps = { validators: getStrategyValidators(), strategies: await getStrategyRepository() };
  await deleteStrategy(deps, request.params.id ?? '', parseEntityTags(request.headers.get('if-match')));
  return { status: 204 };
});

/** GET /api/v1/fulfillment/strategies: every strategy, ordered by id. */
export const listStrategiesHandler = handler(async () => {
  const all = await (await getStrategyRepository()).list();
  return { jsonBody: { items: all.map((s) => s.strategy) } };
});

/** POST /api/v1/fulfillment/plan: the optimizer's plan for one ship-to and its lines; changes nothing. */
export const planHandler = jsonHandler(async (_request, body) => ({
  jsonBody: await planFulfillmentRequest(await getPlanRequestDeps(), body),
}));

app.http('putFulfillmentStrategy', {
  route: 'v1/fulfillment/strategies/{id}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putStrategyHandler,
});
app.http('getFulfillmentStrategy', {
  route: 'v1/fulfillment/strategies/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getStrategyHandler,
});
app.http('deleteFulfillmentStrategy', {
  route: 'v1/fulfillment/strategies/{id}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: deleteStrategyHandler,
});
app.http('listFulfillmentStrategies', {
  route: 'v1/fulfillment/strategies',
  methods: ['GET'],
  authLevel: 'function',
  handler: listStrategiesHandler,
});
app.http('planFulfillment', {
  route: 'v1/fulfillment/plan',
  methods: ['POST'],
  authLevel: 'function',
  handler: planHandler,
});

/**
 * The journey step: `{orderId, strategyId?}` plans a stored order, anything else is read as a plan
 * request body. It only computes (as the plan API); a failure (unknown order, invalid input) fails the
 * activity with the problem's message, and the orchestration decides what to do with that.
 */
df.app.activity('planFulfillmentActivity', {
  handler: async (input: unknown) => {
    try {
      return await planFulfillmentActivity(
        { ...(await getPlanRequestDeps()), orders: await getOrderRepository() },
        input
      );
    } catch (err) {
      // The orchestration sees only the message: keep the paths of a validation failure in it.
      if (err instanceof ValidationError) {
        throw new Error(`${err.message} ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
      }
      throw err;
    }
  },
});

/** A minimal orchestration around the activity, so the step can be run through the Durable HTTP API. */
df.app.orchestration('planFulfillmentOrchestrator', function* (context: OrchestrationContext) {
  return (yield context.df.callActivity('planFulfillmentActivity', context.df.getInput())) as unknown;
});
