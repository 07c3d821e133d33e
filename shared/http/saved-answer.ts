import type { HttpResponseInit } from '@azure/functions';

/** The answer to a PUT that creates or replaces a resource: 201 when created, else 200; its location. */
export function savedAnswer(
  collectionPath: string,
  id: string,
  created: boolean,
  body: unknown
): HttpResponseInit {
  return {
    status: created ? 201 : 200,
    headers: { location: `${collectionPath}/${encodeURIComponent(id)}` },
    jsonBody: body,
  };
}
