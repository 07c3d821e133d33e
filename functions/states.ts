import { readStateFramework, replaceStateFramework } from '../shared/app/states/state-framework-config';
import { getCustomStateFrameworkValidator, getStateFrameworkStore } from '../shared/app/states/wiring';
import { entityTagOf } from '../shared/app/versioned-resources/entity-tags';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { stateFrameworkView } from '../shared/http/state-framework-view';

/** GET /api/v1/states: the state framework in force (out-of-box rows are marked read-only). */
export const getStates = route('getStates', 'GET', 'v1/states', async () => {
  const { config, etag } = await readStateFramework(await getStateFrameworkStore());
  const headers: Record<string, string> = etag ? { etag: entityTagOf(etag) } : {};
  return { headers, jsonBody: stateFrameworkView(config) };
});

/**
 * PUT /api/v1/states: replaces the custom rows (`{enabled?, events?, states?, reasons?,
 * transitions?, deleted?}`); `If-Match` guards against overwriting someone else's change.
 */
export const putStates = route('putStates', 'PUT', 'v1/states', async (request) => {
  const body = await jsonBody(request);
  const ifMatch = request.headers.get('if-match')?.replace(/^W\//, '').replace(/"/g, '') || undefined;
  const { config, etag } = await replaceStateFramework(
    await getStateFrameworkStore(),
    getCustomStateFrameworkValidator(),
    body.value,
    ifMatch
  );
  return { headers: { etag: entityTagOf(etag) }, jsonBody: stateFrameworkView(config) };
});
