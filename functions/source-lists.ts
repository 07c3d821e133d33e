import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { deleteSourceList, getSourceList, putSourceList } from '../shared/app/source-lists';
import {
  getClock,
  getSourceListRepository,
  getSourceListValidators,
  getSourceRepository,
  getStrategyRepository,
} from '../shared/composition';
import { readJsonBody } from '../shared/http/json-body';
import { parseEntityTags } from '../shared/app/entity-tags';
import { respond } from '../shared/http/respond';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const sourceListsPath = '/api/v1/source-lists';

/** PUT /api/v1/source-lists/{id}: create (201) or replace (200) `{name, sourceIds}`; If-Match / If-None-Match honoured. */
export async function putSourceListHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const deps = {
      validators: getSourceListValidators(),
      sourceLists: await getSourceListRepository(),
      sources: await getSourceRepository(),
      clock: getClock(),
    };
    const result = await putSourceList(
      deps,
      request.params.id ?? '',
      body.value,
      writePreconditionsOf(request)
    );
    return putAnswer(sourceListsPath, result.sourceList.id, result.sourceList, result);
  });
}

/** GET /api/v1/source-lists/{id}: the list with its ETag, or 404. */
export async function getSourceListHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { validators: getSourceListValidators(), sourceLists: await getSourceListRepository() };
    const found = await getSourceList(deps, request.params.id ?? '');
    return versionedAnswer(found.sourceList, found.etag);
  });
}

/** DELETE /api/v1/source-lists/{id}: 204; 404 when absent, 409 while a strategy uses it, 412 on If-Match. */
export async function deleteSourceListHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = {
      validators: getSourceListValidators(),
      sourceLists: await getSourceListRepository(),
      strategies: await getStrategyRepository(),
    };
    await deleteSourceList(deps, request.params.id ?? '', parseEntityTags(request.headers.get('if-match')));
    return { status: 204 };
  });
}

/** GET /api/v1/source-lists: every list, ordered by id. */
export async function listSourceListsHandler(
  _request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => ({
    jsonBody: { items: await (await getSourceListRepository()).list() },
  }));
}

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
