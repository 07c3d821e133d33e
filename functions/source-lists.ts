import { app } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import { deleteSourceList, getSourceList, putSourceList } from '../shared/app/fulfillment/source-lists';
import {
  getClock,
  getSourceListRepository,
  getSourceListValidators,
  getSourceRepository,
  getStrategyRepository,
} from '../shared/composition';
import { parseEntityTags } from '../shared/app/common/entity-tags';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const sourceListsPath = '/api/v1/source-lists';

/** PUT /api/v1/source-lists/{id}: create (201) or replace (200) `{name, sourceIds}`; If-Match / If-None-Match honoured. */
export const putSourceListHandler = jsonHandler(async (request, body) => {
  const deps = {
    validators: getSourceListValidators(),
    sourceLists: await getSourceListRepository(),
    sources: await getSourceRepository(),
    clock: getClock(),
  };
  const result = await putSourceList(deps, request.params.id ?? '', body, writePreconditionsOf(request));
  return putAnswer(sourceListsPath, result.sourceList.id, result.sourceList, result);
});

/** GET /api/v1/source-lists/{id}: the list with its ETag, or 404. */
export const getSourceListHandler = handler(async (request) => {
  const deps = { validators: getSourceListValidators(), sourceLists: await getSourceListRepository() };
  const found = await getSourceList(deps, request.params.id ?? '');
  return versionedAnswer(found.sourceList, found.etag);
});

/** DELETE /api/v1/source-lists/{id}: 204; 404 when absent, 409 while a strategy uses it, 412 on If-Match. */
export const deleteSourceListHandler = handler(async (request) => {
  const deps = {
    validators: getSourceListValidators(),
    sourceLists: await getSourceListRepository(),
    strategies: await getStrategyRepository(),
  };
  await deleteSourceList(deps, request.params.id ?? '', parseEntityTags(request.headers.get('if-match')));
  return { status: 204 };
});

/** GET /api/v1/source-lists: every list, ordered by id. */
export const listSourceListsHandler = handler(async () => ({
  jsonBody: { items: await (await getSourceListRepository()).list() },
}));

app.http('putSourceList', {
  route: 'v1/source-lists/{id}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putSourceListHandler,
});
app.http('getSourceList', {
  route: 'v1/source-lists/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getSourceListHandler,
});
app.http('deleteSourceList', {
  route: 'v1/source-lists/{id}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: deleteSourceListHandler,
});
app.http('listSourceLists', {
  route: 'v1/source-lists',
  methods: ['GET'],
  authLevel: 'function',
  handler: listSourceListsHandler,
});
