import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { entityTagOf, parseEntityTags } from '../app/versioned-resources/entity-tags';
import type { EntityTagCondition } from '../app/versioned-resources/entity-tags';
import type { WritePreconditions } from '../app/versioned-resources/put-versioned';

/** The request's If-Match / If-None-Match as write preconditions (absent headers: no condition). */
export function writePreconditionsOf(request: HttpRequest): WritePreconditions {
  const ifMatch = parseEntityTags(request.headers.get('if-match'));
  const ifNoneMatch = parseEntityTags(request.headers.get('if-none-match'));
  return { ...(ifMatch ? { ifMatch } : {}), ...(ifNoneMatch ? { ifNoneMatch } : {}) };
}

/** The request's If-Match as a condition (absent header: none). */
export function ifMatchOf(request: HttpRequest): EntityTagCondition | undefined {
  return parseEntityTags(request.headers.get('if-match'));
}

/** The answer to a PUT of a versioned resource: 201 with its location when created, else 200; its ETag. */
export function putAnswer(
  collectionPath: string,
  id: string,
  body: unknown,
  result: { etag: string; created: boolean }
): HttpResponseInit {
  const location = `${collectionPath}/${encodeURIComponent(id)}`;
  return {
    status: result.created ? 201 : 200,
    headers: { etag: entityTagOf(result.etag), ...(result.created ? { location } : {}) },
    jsonBody: body,
  };
}

/** The answer to a GET of a versioned resource: the resource with its ETag. */
export function versionedAnswer(body: unknown, etag: string): HttpResponseInit {
  return { headers: { etag: entityTagOf(etag) }, jsonBody: body };
}
