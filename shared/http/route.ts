import { app, type FunctionInput, type HttpMethod, type HttpResponseInit } from '@azure/functions';
import { inSpan, SpanKind, SpanStatusCode } from '../telemetry/tracing';
import { handler, jsonBody, type HttpHandler } from './handler';

/** One registered HTTP function as the OpenAPI description lists it (shared/http/openapi.ts). */
export interface RegisteredRoute {
  name: string;
  method: HttpMethod;
  /** The route as registered, without the `/api` prefix: `v1/orders/{orderId}`. */
  path: string;
  authLevel: 'anonymous' | 'function' | 'admin';
}

const registered: RegisteredRoute[] = [];

/** Every API route lives under `/api`; only the console (functions/console.ts) is served outside it. */
const apiPrefix = 'api';

/** Every route registered so far, in registration order (all of them once functions/index is loaded). */
export function registeredRoutes(): readonly RegisteredRoute[] {
  return registered;
}

export interface RouteOptions {
  /** Who may call: `function` (a function key; the default for every API route) or `anonymous`. */
  authLevel?: 'anonymous' | 'function' | 'admin';
  /** Input bindings the work reads from its context (e.g. the Durable client). */
  extraInputs?: FunctionInput[];
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
  const wrapped = traced(method, path, handler(work));
  const authLevel = options.authLevel ?? 'function';
  registered.push({ name, method, path, authLevel });
  app.http(name, {
    // host.json's routePrefix is empty so the console can be served at `/`: the API keeps `/api`.
    route: `${apiPrefix}/${path}`,
    methods: [method],
    authLevel,
    ...(options.extraInputs ? { extraInputs: options.extraInputs } : {}),
    handler: wrapped,
  });
  return wrapped;
}

/**
 * The route's server span (docs/telemetry.md): it continues the caller's trace (the host's trace
 * context in Azure, else the request's `traceparent` header) or starts one; an `{orderId}` in the
 * path goes on every log line of the request.
 */
function traced(method: HttpMethod, path: string, inner: HttpHandler): HttpHandler {
  const name = `${method} /${apiPrefix}/${path}`;
  return (request, context) =>
    inSpan(
      name,
      {
        kind: SpanKind.SERVER,
        parent: context.traceContext?.traceParent ?? request.headers.get('traceparent') ?? undefined,
        attributes: { 'http.request.method': method, 'http.route': `/${apiPrefix}/${path}` },
        fields: { orderId: request.params.orderId },
      },
      async (span) => {
        const response = await inner(request, context);
        const status = response.status ?? 200;
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      }
    );
}

/** One use case behind a JSON POST route: its dependencies and the parsed body in, the answer out. */
export type JsonPostWork<Deps> = (deps: Deps, body: unknown) => Promise<HttpResponseInit>;

/**
 * Registers a family of JSON POST routes under one prefix that share a dependency bundle:
 * `postRoutes('v1/inventory', getInventoryDeps, [['inventoryQuery', 'query', work], ...])`.
 */
export function postRoutes<Deps>(
  prefix: string,
  deps: () => Promise<Deps>,
  routes: readonly (readonly [name: string, path: string, work: JsonPostWork<Deps>])[]
): void {
  for (const [name, path, work] of routes) {
    route(name, 'POST', `${prefix}/${path}`, async (request) => {
      const body = await jsonBody(request);
      return work(await deps(), body.value);
    });
  }
}
