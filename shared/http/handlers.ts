import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { readJsonBody } from './json-body';
import { respond } from './respond';

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** An HTTP handler whose failures answer problem+json (see respond). */
export function handler(
  work: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>
): HttpHandler {
  return (request, context) => respond(context, () => work(request, context));
}

/** The same, given the parsed JSON body: malformed or oversized JSON is answered 400/413 before `work` runs. */
export function jsonHandler(
  work: (request: HttpRequest, body: unknown, context: InvocationContext) => Promise<HttpResponseInit>
): HttpHandler {
  return async (request, context) => {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    return respond(context, () => work(request, body.value, context));
  };
}
