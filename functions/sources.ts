import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { entityTagOf, parseEntityTags } from '../shared/app/entity-tags';
import { getSource, putSource } from '../shared/app/sources';
import { getClock, getGeocoder, getSourceRepository, getSourceValidators } from '../shared/composition';
import { readJsonBody } from '../shared/http/json-body';
import { respond } from '../shared/http/respond';

const sourcesPath = '/api/v1/sources';

/** PUT /api/v1/sources/{sourceId}: create (201) or replace (200) a source; If-Match / If-None-Match honoured. */
export async function putSourceHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const deps = {
      validators: getSourceValidators(),
      sources: await getSourceRepository(),
      clock: getClock(),
      geocode: getGeocoder(),
    };
    const ifMatch = parseEntityTags(request.headers.get('if-match'));
    const ifNoneMatch = parseEntityTags(request.headers.get('if-none-match'));
    const result = await putSource(deps, request.params.sourceId ?? '', body.value, {
      ...(ifMatch ? { ifMatch } : {}),
      ...(ifNoneMatch ? { ifNoneMatch } : {}),
    });
    const location = `${sourcesPath}/${encodeURIComponent(result.source.id)}`;
    return {
      status: result.created ? 201 : 200,
      headers: { etag: entityTagOf(result.etag), ...(result.created ? { location } : {}) },
      jsonBody: result.source,
    };
  });
}

/** GET /api/v1/sources/{sourceId}: the source with its ETag, or 404. */
export async function getSourceHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { validators: getSourceValidators(), sources: await getSourceRepository() };
    const found = await getSource(deps, request.params.sourceId ?? '');
    return { headers: { etag: entityTagOf(found.etag) }, jsonBody: found.source };
  });
}

/** GET /api/v1/sources: every source, ordered by id. */
export async function listSourcesHandler(
  _request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => ({ jsonBody: { items: await (await getSourceRepository()).list() } }));
}

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
