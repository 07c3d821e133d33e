import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { isDomainError } from '../domain/errors';
import { readJsonBody } from './json-body';
import { fromError, problem } from './problem';

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** A ready answer thrown from inside a handler's work (e.g. a body that is not JSON: 400/413/415). */
export class HttpAnswer extends Error {
  constructor(readonly response: HttpResponseInit) {
    super(`HTTP ${response.status ?? 200}`);
    this.name = 'HttpAnswer';
  }
}

/**
 * The one handler style of every HTTP entry point: runs `work` and turns what it throws into
 * problem+json — domain errors say what the caller did wrong; anything else is logged and answered
 * 500 without internals.
 */
export function handler(work: HttpHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await work(request, context);
    } catch (err) {
      if (err instanceof HttpAnswer) return err.response;
      if (!isDomainError(err)) context.error('request failed', err);
      return fromError(err);
    }
  };
}

/** The request's JSON body, parsed; a body that is not JSON is answered 400/415 (see readJsonBody). */
export async function jsonBody(request: HttpRequest): Promise<{ value: unknown; text: string }> {
  const body = await readJsonBody(request);
  if (!body.ok) throw new HttpAnswer(body.response);
  return { value: body.value, text: body.text };
}

/**
 * The JSON body of a route whose body may be left out: undefined when the request has none
 * (`Content-Length: 0`, or neither a length nor a type); otherwise as jsonBody.
 */
export async function optionalJsonBody(request: HttpRequest): Promise<unknown> {
  const length = request.headers.get('content-length');
  if (length === '0' || (length === null && request.headers.get('content-type') === null)) return undefined;
  return (await jsonBody(request)).value;
}

/** A page of items as list routes answer it: `{items, continuationToken?}`. */
export function pageBody<T>(page: { items: T[]; continuationToken?: string }, view: (item: T) => unknown) {
  return {
    items: page.items.map(view),
    ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
  };
}

/**
 * A list route's query: `top` (1–500, default 50; anything else is answered 400 problem+json at
 * `/top`) and the named filters that are present and not empty.
 */
export function pageQuery<Name extends string>(
  request: HttpRequest,
  filters: readonly Name[]
): { top: number } & Partial<Record<Name | 'continuationToken', string>> {
  const top = Number(request.query.get('top') ?? 50);
  if (!Number.isInteger(top) || top < 1 || top > 500) {
    throw new HttpAnswer(
      problem(400, 'Bad request', 'top must be an integer from 1 to 500.', {
        extra: { errors: [{ path: '/top', message: 'must be an integer from 1 to 500' }] },
      })
    );
  }
  const present: Partial<Record<Name | 'continuationToken', string>> = {};
  for (const name of [...filters, 'continuationToken' as const]) {
    const value = request.query.get(name);
    if (value) present[name] = value;
  }
  return { top, ...present };
}
