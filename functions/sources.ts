import { getSource, putSource } from '../shared/app/fulfillment/sources';
import { getSourceRepository, sourceDeps } from '../shared/app/fulfillment/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const sourcesPath = '/api/v1/sources';

/** PUT /api/v1/sources/{sourceId}: create (201) or replace (200) a source; If-Match / If-None-Match honoured. */
export const putSourceHandler = route('putSource', 'PUT', 'v1/sources/{sourceId}', async (request) => {
  const body = await jsonBody(request);
  const result = await putSource(
    await sourceDeps(),
    request.params.sourceId ?? '',
    body.value,
    writePreconditionsOf(request)
  );
  return putAnswer(sourcesPath, result.source.id, result.source, result);
});

/** GET /api/v1/sources/{sourceId}: the source with its ETag, or 404. */
export const getSourceHandler = route('getSource', 'GET', 'v1/sources/{sourceId}', async (request) => {
  const found = await getSource(await sourceDeps(), request.params.sourceId ?? '');
  return versionedAnswer(found.source, found.etag);
});

/** GET /api/v1/sources: every source, ordered by id. */
export const listSourcesHandler = route('listSources', 'GET', 'v1/sources', async () => ({
  jsonBody: { items: await (await getSourceRepository()).list() },
}));
