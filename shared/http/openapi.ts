import { problemSchema } from '../schemas/api-responses.schema';
import { PROBLEM_CONTENT_TYPE } from './problem';
import type { RouteDoc } from './route-docs';
import type { RegisteredRoute } from './route';

/**
 * The OpenAPI 3.1 description of the registered routes (docs/openapi.md), built from the same
 * registrations the host serves and the same JSON Schemas the use cases validate with. Pure: the
 * routes, their docs and the server come in, the document goes out.
 */

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Operation>> };

export interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, unknown>;
  security: Record<string, string[]>[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: object;
  description?: string;
}

export interface ApiInfo {
  title: string;
  version: string;
  /** Where the app answers, e.g. `https://openiom.example.net` (paths start with `/api`). */
  serverUrl: string;
}

const JSON_TYPE = 'application/json';

/** The function key as a header or as the `code` query parameter, as Azure Functions accepts it. */
export const securitySchemes = {
  functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'A function key.' },
  functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code', description: 'A function key.' },
} as const;

/** Error answers, all problem+json (shared/http/problem.ts). */
const errorResponses = {
  BadRequest: 'The input is not valid: `errors` lists each wrong JSON Pointer path.',
  Unauthorized: 'No valid function key (or, for a webhook, no valid signature).',
  NotFound: 'No such resource (named by the path or the body).',
  Conflict: 'The resource is not in a state that allows this.',
  PreconditionFailed: 'The If-Match (or If-None-Match) condition does not hold: read the resource again.',
  UnsupportedMediaType: 'The body is not sent as application/json.',
  TooManyRequests: 'The store is busy: retry after the Retry-After seconds.',
  ServerError: 'The request could not be completed; the log has the reason.',
  ServiceUnavailable: 'A service the app depends on does not answer.',
} as const;

export function openApiDocument(
  routes: readonly RegisteredRoute[],
  docs: Readonly<Record<string, RouteDoc>>,
  info: ApiInfo
): OpenApiDocument {
  const paths: Record<string, Record<string, Operation>> = {};
  const tags = new Map<string, string>();
  for (const route of routes) {
    const path = openApiPath(route.path);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, docs[route.name] ?? {});
    const tag = tagOf(route.path);
    tags.set(tag, path.slice(0, path.indexOf(tag) + tag.length));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description: 'Open-source intelligent order management. Errors are application/problem+json.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: info.serverUrl }],
    tags: [...tags.keys()].sort().map((name) => ({ name, description: `Routes under ${tags.get(name)}.` })),
    paths,
    components: {
      securitySchemes,
      schemas: { Problem: problemSchema },
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, description]) => [
          name,
          {
            description,
            content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ])
      ),
    },
  };
}

/** `v1/orders/{orderId}` → `/api/v1/orders/{orderId}`; route constraints (`{id:int}`, `{*rest}`) dropped. */
export function openApiPath(routePath: string): string {
  return `/api/${routePath.replace(/\{\*?([A-Za-z0-9_]+)(?::[^}]*)?\??\}/g, '{$1}')}`;
}

function operation(route: RegisteredRoute, doc: RouteDoc): Operation {
  const path = openApiPath(route.path);
  const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((m): Parameter => ({
    name: m[1]!,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParameters: Parameter[] = [
    ...(doc.query ?? []).map((name): Parameter => ({
      name,
      in: 'query',
      required: false,
      schema: { type: 'string' },
    })),
    ...(doc.querySchema ? schemaParameters(doc.querySchema) : []),
  ];
  const named = new Set(queryParameters.map((parameter) => parameter.name));
  if (doc.page) {
    const top: Parameter = {
      name: 'top',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    };
    const token: Parameter = {
      name: 'continuationToken',
      in: 'query',
      required: false,
      schema: { type: 'string' },
      description: 'The token of the previous page.',
    };
    queryParameters.push(...[top, token].filter((parameter) => !named.has(parameter.name)));
  }
  const headerParameters = (doc.headers ?? []).map((name): Parameter => ({
    name,
    in: 'header',
    required: false,
    schema: { type: 'string' },
  }));
  const parameters = [...pathParameters, ...queryParameters, ...headerParameters];
  const takesBody = ['POST', 'PUT', 'PATCH'].includes(route.method) && !doc.noBody;
  const secured = route.authLevel !== 'anonymous';
  return {
    operationId: route.name,
    summary: doc.summary ?? words(route.name),
    tags: [tagOf(route.path)],
    ...(parameters.length ? { parameters } : {}),
    ...(takesBody ? { requestBody: requestBody(doc) } : {}),
    responses: {
      ...successResponses(route, doc),
      '400': { $ref: '#/components/responses/BadRequest' },
      ...(secured || route.name === 'receiveProviderWebhook'
        ? { '401': { $ref: '#/components/responses/Unauthorized' } }
        : {}),
      // A path or a body can name something that does not exist (an order, a reservation).
      ...(pathParameters.length || takesBody ? { '404': { $ref: '#/components/responses/NotFound' } } : {}),
      ...(route.method !== 'GET'
        ? {
            '409': { $ref: '#/components/responses/Conflict' },
            '412': { $ref: '#/components/responses/PreconditionFailed' },
          }
        : {}),
      ...(takesBody ? { '415': { $ref: '#/components/responses/UnsupportedMediaType' } } : {}),
      '429': { $ref: '#/components/responses/TooManyRequests' },
      '500': { $ref: '#/components/responses/ServerError' },
      ...(doc.unavailable ? { '503': { $ref: '#/components/responses/ServiceUnavailable' } } : {}),
    },
    // Either the header or the query parameter; an anonymous route says so with an empty list.
    security: secured ? [{ functionKey: [] }, { functionKeyQuery: [] }] : [],
  };
}

/** A query schema's properties as query parameters (required where the schema requires them). */
function schemaParameters(querySchema: object): Parameter[] {
  const { properties = {}, required = [] } = querySchema as {
    properties?: Record<string, object>;
    required?: readonly string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema,
  }));
}

function requestBody(doc: RouteDoc): NonNullable<Operation['requestBody']> {
  const schema = doc.body instanceof Function ? doc.body() : doc.body;
  return schema
    ? { required: !doc.bodyOptional, content: { [JSON_TYPE]: { schema: withoutId(schema) } } }
    : {
        required: false,
        content: { [JSON_TYPE]: { schema: { description: 'Not described in detail yet.' } } },
      };
}

function successResponses(route: RegisteredRoute, doc: RouteDoc): Record<string, unknown> {
  const statuses =
    doc.ok ??
    (route.method === 'DELETE'
      ? [204]
      : route.method === 'PUT' || route.method === 'POST'
        ? [200, 201]
        : [200]);
  const content = { [JSON_TYPE]: { schema: doc.answer ?? { description: 'Not described in detail yet.' } } };
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      status === 204 ? { description: 'Done; no body.' } : { description: statusText(status), content },
    ])
  );
}

function statusText(status: number): string {
  return { 200: 'OK', 201: 'Created', 202: 'Accepted' }[status] ?? `HTTP ${status}`;
}

/**
 * A validator's schema as the description states it: without its `$id` (which names it inside the
 * one Ajv instance and would only clash here) and in the 2020-12 dialect OpenAPI 3.1 speaks — Ajv's
 * default draft-07 `dependencies` (lists of names) is 2020-12's `dependentRequired`.
 */
function withoutId(schema: object): object {
  const { $id: _id, ...rest } = schema as Record<string, unknown>;
  return dialect2020(rest) as object;
}

function dialect2020(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dialect2020);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      // Under `properties` the keys are field names (a field may be called `dependencies`).
      if (key === 'properties') return [key, mapValues(inner as Record<string, unknown>, dialect2020)];
      return [key === 'dependencies' ? 'dependentRequired' : key, dialect2020(inner)];
    })
  );
}

function mapValues(object: Record<string, unknown>, f: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));
}

/** `v1/fulfillment-orders/{foId}` → `fulfillment-orders`; `providers/{id}/webhook` → `providers`. */
function tagOf(routePath: string): string {
  const segments = routePath.split('/');
  return (segments[0] === 'v1' ? segments[1] : segments[0]) ?? 'api';
}

/** `getOrderTimeline` → `Get order timeline`. */
function words(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
