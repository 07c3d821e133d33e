import { openApiDocument } from '../shared/http/openapi';
import { toSwagger2 } from '../shared/http/openapi2';
import { registeredRoutes, route } from '../shared/http/route';
import { routeDocs } from '../shared/http/route-docs';

/** The description of every route registered, built per request (the server is the caller's origin). */
function describe(requestUrl: string) {
  const serverUrl = new URL(requestUrl).origin;
  return openApiDocument(registeredRoutes(), routeDocs, { title: 'openiom', version: '1.0.0', serverUrl });
}

/** GET /api/openapi.json: the OpenAPI 3.1 description (docs/openapi.md). Anonymous, like a schema. */
export const openApiHandler = route(
  'getOpenApi',
  'GET',
  'openapi.json',
  (request) => Promise.resolve({ jsonBody: describe(request.url) }),
  { authLevel: 'anonymous' }
);

/** GET /api/openapi2.json: the same as Swagger 2.0, for Power Automate custom connectors. */
export const swagger2Handler = route(
  'getOpenApi2',
  'GET',
  'openapi2.json',
  (request) => Promise.resolve({ jsonBody: toSwagger2(describe(request.url)) }),
  { authLevel: 'anonymous' }
);
