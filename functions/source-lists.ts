import { deleteSourceList, getSourceList, putSourceList } from '../shared/app/fulfillment/source-lists';
import { getSourceListRepository, sourceListDeps } from '../shared/app/fulfillment/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import {
  ifMatchOf,
  putAnswer,
  versionedAnswer,
  writePreconditionsOf,
} from '../shared/http/versioned-resource';

const sourceListsPath = '/api/v1/source-lists';

/** PUT /api/v1/source-lists/{id}: create (201) or replace (200) `{name, sourceIds}`; If-Match / If-None-Match honoured. */
export const putSourceListHandler = route('putSourceList', 'PUT', 'v1/source-lists/{id}', async (request) => {
  const body = await jsonBody(request);
  const result = await putSourceList(
    await sourceListDeps(),
    request.params.id ?? '',
    body.value,
    writePreconditionsOf(request)
  );
  return putAnswer(sourceListsPath, result.sourceList.id, result.sourceList, result);
});

/** GET /api/v1/source-lists/{id}: the list with its ETag, or 404. */
export const getSourceListHandler = route('getSourceList', 'GET', 'v1/source-lists/{id}', async (request) => {
  const found = await getSourceList(await sourceListDeps(), request.params.id ?? '');
  return versionedAnswer(found.sourceList, found.etag);
});

/** DELETE /api/v1/source-lists/{id}: 204; 404 when absent, 409 while a strategy uses it, 412 on If-Match. */
export const deleteSourceListHandler = route(
  'deleteSourceList',
  'DELETE',
  'v1/source-lists/{id}',
  async (request) => {
    await deleteSourceList(await sourceListDeps(), request.params.id ?? '', ifMatchOf(request));
    return { status: 204 };
  }
);

/** GET /api/v1/source-lists: every list, ordered by id. */
export const listSourceListsHandler = route('listSourceLists', 'GET', 'v1/source-lists', async () => ({
  jsonBody: { items: await (await getSourceListRepository()).list() },
}));
