import { app } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import { getSource, putSource } from '../shared/app/fulfillment/sources';
import { getClock, getGeocoder, getSourceRepository, getSourceValidators } from '../shared/composition';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const sourcesPath = '/api/v1/sources';

/** PUT /api/v1/sources/{sourceId}: create (201) or replace (200) a source; If-Match / If-None-Match honoured. */
export const putSourceHandler = jsonHandler(async (request, body) => {
  const deps = {
    validators: getSourceValidators(),
    sources: await getSourceRepository(),
    clock: getClock(),
    geocode: getGeocoder(),
  };
  const result = await putSource(deps, request.params.sourceId ?? '', body, writePreconditionsOf(request));
  return putAnswer(sourcesPath, result.source.id, result.source, result);
});

/** GET /api/v1/sources/{sourceId}: the source with its ETag, or 404. */
export const getSourceHandler = handler(async (request) => {
  const deps = { validators: getSourceValidators(), sources: await getSourceRepository() };
  const found = await getSource(deps, request.params.sourceId ?? '');
  return versionedAnswer(found.source, found.etag);
});

/** GET /api/v1/sources: every source, ordered by id. */
export const listSourcesHandler = handler(async () => ({
  jsonBody: { items: await (await getSourceRepository()).list() },
}));

app.http('putSource', {
  route: 'v1/sources/{sourceId}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putSourceHandler,
});
app.http('getSource', {
  route: 'v1/sources/{sourceId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getSourceHandler,
});
app.http('listSources', {
  route: 'v1/sources',
  methods: ['GET'],
  authLevel: 'function',
  handler: listSourcesHandler,
});
