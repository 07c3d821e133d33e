import { deleteStrategy, getStrategy, putStrategy } from '../shared/app/fulfillment/fulfillment-strategies';
import { getStrategyRepository, strategyDeps } from '../shared/app/fulfillment/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import {
  ifMatchOf,
  putAnswer,
  versionedAnswer,
  writePreconditionsOf,
} from '../shared/http/versioned-resource';

const strategiesPath = '/api/v1/fulfillment/strategies';
const one = 'v1/fulfillment/strategies/{id}';

/**
 * PUT /api/v1/fulfillment/strategies/{id}: create (201) or replace (200); exactly one default (making
 * one the default unsets the previous in the same batch; unsetting the default is 409). ETags as for products.
 */
export const putStrategyHandler = route('putFulfillmentStrategy', 'PUT', one, async (request) => {
  const body = await jsonBody(request);
  const result = await putStrategy(
    await strategyDeps(),
    request.params.id ?? '',
    body.value,
    writePreconditionsOf(request)
  );
  return putAnswer(strategiesPath, result.strategy.id, result.strategy, result);
});

/** GET /api/v1/fulfillment/strategies/{id}: the strategy with its ETag, or 404 `strategy-not-found`. */
export const getStrategyHandler = route('getFulfillmentStrategy', 'GET', one, async (request) => {
  const found = await getStrategy(await strategyDeps(), request.params.id ?? '');
  return versionedAnswer(found.strategy, found.etag);
});

/** DELETE /api/v1/fulfillment/strategies/{id}: 204; 409 for the default or another's alternate; 412 on If-Match. */
export const deleteStrategyHandler = route('deleteFulfillmentStrategy', 'DELETE', one, async (request) => {
  await deleteStrategy(await strategyDeps(), request.params.id ?? '', ifMatchOf(request));
  return { status: 204 };
});

/** GET /api/v1/fulfillment/strategies: every strategy, ordered by id. */
export const listStrategiesHandler = route(
  'listFulfillmentStrategies',
  'GET',
  'v1/fulfillment/strategies',
  async () => {
    const all = await (await getStrategyRepository()).list();
    return { jsonBody: { items: all.map((s) => s.strategy) } };
  }
);
