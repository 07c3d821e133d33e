import { app, type HttpMethod } from '@azure/functions';
import { handler, type HttpHandler } from './handler';

export interface RouteOptions {
  /** Who may call: `function` (a function key; the default for every API route) or `anonymous`. */
  authLevel?: 'anonymous' | 'function' | 'admin';
}

/**
 * Registers an HTTP function: `route('getOrder', 'GET', 'v1/orders/{orderId}', work)`. The work
 * runs in the one handler style (problem+json on failure); the handler is returned for tests.
 */
export function route(
  name: string,
  method: HttpMethod,
  path: string,
  work: HttpHandler,
  options: RouteOptions = {}
): HttpHandler {
  const wrapped = handler(work);
  app.http(name, {
    route: path,
    methods: [method],
    authLevel: options.authLevel ?? 'function',
    handler: wrapped,
  });
  return wrapped;
}
