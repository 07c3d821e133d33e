import { HttpRequest, InvocationContext } from '@azure/functions';
import { openApiDocument, openApiPath, type OpenApiDocument } from '../../../shared/http/openapi';
import { schema2, toSwagger2 } from '../../../shared/http/openapi2';
import type { HttpHandler } from '../../../shared/http/handler';
import { openApiContract } from '../../support/openapi-contract';
import { lintOpenApi } from '../../support/openapi-lint';
import { registeredHttpFunctions, splitApiFunctions } from '../../support/registered-http-functions';

function loadApp() {
  const { functions, also } = registeredHttpFunctions(() => {
    // The modules of the isolated registry the app was loaded in (none is mocked).
    const entry = jest.requireActual<typeof import('../../../functions/openapi')>(
      '../../../functions/openapi'
    );
    const route = jest.requireActual<typeof import('../../../shared/http/route')>(
      '../../../shared/http/route'
    );
    const docs = jest.requireActual<typeof import('../../../shared/http/route-docs')>(
      '../../../shared/http/route-docs'
    );
    return {
      registered: route.registeredRoutes(),
      docNames: Object.keys(docs.routeDocs),
      openApi: entry.openApiHandler,
      swagger2: entry.swagger2Handler,
    };
  });
  return { hostRoutes: functions, ...also };
}

interface Swagger2 {
  swagger: string;
  host: string;
  securityDefinitions: Record<string, unknown>;
  paths: Record<string, Record<string, { operationId: string; parameters?: unknown[]; responses: object }>>;
}

async function answer(handler: HttpHandler, path: string): Promise<unknown> {
  const request = new HttpRequest({ method: 'GET', url: `http://127.0.0.1:7071/api/${path}` });
  const result = await handler(request, new InvocationContext({ functionName: 'test' }));
  expect(result.status ?? 200).toBe(200);
  return result.jsonBody;
}

const app = loadApp();
let openApi: OpenApiDocument;
let swagger2: Swagger2;

beforeAll(async () => {
  openApi = (await answer(app.openApi, 'openapi.json')) as OpenApiDocument;
  swagger2 = (await answer(app.swagger2, 'openapi2.json')) as Swagger2;
});

describe('GET /api/openapi.json', () => {
  it('describes every HTTP function the app registers under /api, under its method, with the function name as operationId', () => {
    const { api, others } = splitApiFunctions(app.hostRoutes);
    expect(api.length).toBeGreaterThan(100);
    // The console is a web page, served outside /api and left out of the description.
    expect(others.map((fn) => `${fn.name} ${fn.route}`)).toEqual(['console {file?}']);
    const missing = api.flatMap((fn) =>
      fn.methods
        .filter((m) => openApi.paths[openApiPath(fn.route)]?.[m.toLowerCase()]?.operationId !== fn.name)
        .map((m) => `${m} ${fn.route} (${fn.name})`)
    );
    expect(missing).toEqual([]);
  });

  it('has a description for no route that does not exist', () => {
    const names = new Set(app.registered.map((r) => r.name));
    expect(app.docNames.filter((name) => !names.has(name))).toEqual([]);
  });

  it("lints clean with Redocly's recommended rules", () => {
    const broken = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} };
    expect(lintOpenApi(broken).map((p) => p.rule)).toContain('no-empty-servers');
    expect(lintOpenApi(openApi)).toEqual([]);
  });

  it('asks for the function key everywhere but health, the description itself and provider webhooks', () => {
    const anonymous = Object.values(openApi.paths)
      .flatMap((ops) => Object.values(ops))
      .filter((op) => op.security.length === 0)
      .map((op) => op.operationId)
      .sort();
    expect(anonymous).toEqual(['getOpenApi', 'getOpenApi2', 'health', 'receiveProviderWebhook']);
    expect(openApi.paths['/api/v1/orders']!.get!.security).toEqual([
      { functionKey: [] },
      { functionKeyQuery: [] },
    ]);
  });

  it('states a real body for every route that reads one, and a 2xx answer schema for every route', () => {
    const generic = 'Not described in detail yet.';
    const operations = Object.entries(openApi.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op }))
    );
    const genericBodies = operations
      .filter(({ op }) => {
        const schema = op.requestBody?.content['application/json']?.schema as { description?: string };
        return op.requestBody !== undefined && (schema === undefined || schema.description === generic);
      })
      .map(({ at }) => at);
    expect(genericBodies).toEqual([]);
    const withoutAnswer = operations.flatMap(({ at, op }) =>
      Object.entries(op.responses)
        .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
        .filter(([, response]) => {
          const schema = (response as { content?: Record<string, { schema?: { description?: string } }> })
            .content?.['application/json']?.schema;
          return schema === undefined || schema.description === generic || Object.keys(schema).length === 0;
        })
        .map(([status]) => `${at} ${status}`)
    );
    expect(withoutAnswer).toEqual([]);
    // A route that reads no body says so (a noBody doc), rather than offering one it ignores.
    expect(openApi.paths['/api/v1/errors/{id}/resubmit']!.post!.requestBody).toBeUndefined();
  });

  it("states a validated body as the use case's own schema, and the answers where it declares them", () => {
    const contract = openApiContract(openApi);
    const body = openApi.paths['/api/v1/orders']!.post!.requestBody!.content['application/json']!.schema;
    expect(body).toMatchObject({ required: ['externalId', 'currency', 'customer', 'shipTo', 'lines'] });
    expect(body).not.toHaveProperty('$id');
    // A validated query is described by its schema, required parameters included.
    expect(openApi.paths['/api/v1/outbox']!.get!.parameters).toEqual([
      {
        name: 'orderId',
        in: 'query',
        required: true,
        schema: { type: 'string', minLength: 1, maxLength: 200 },
      },
    ]);
    const shipTo = (body as { properties: { shipTo: object } }).properties.shipTo;
    expect(shipTo).not.toHaveProperty('dependencies');

    expect(
      contract.mismatches('POST', '/api/v1/orders', 202, { orderId: 'o1', duplicate: false, statusUrl: '/x' })
    ).toEqual([]);
    expect(contract.mismatches('POST', '/api/v1/orders', 202, { orderId: 'o1' })).toEqual([
      "/ must have required property 'duplicate'",
      "/ must have required property 'statusUrl'",
    ]);
    expect(contract.mismatches('POST', '/api/v1/orders', 201, {})).toEqual([
      'POST /api/v1/orders does not describe status 201',
    ]);
    const problem = {
      type: 'https://openiom.dev/problems/validation',
      title: 'Bad',
      status: 400,
      detail: 'x',
    };
    expect(
      contract.mismatches('PUT', '/api/v1/products/A', 400, { ...problem, errors: [{ path: '/name' }] })
    ).toEqual(["/errors/0 must have required property 'message'"]);
    expect(contract.mismatches('GET', '/api/v1/nowhere', 200, {})).toEqual([
      'GET /api/v1/nowhere is not described',
    ]);
  });
});

describe('GET /api/openapi2.json (Swagger 2.0 for Power Automate)', () => {
  it("lints clean as Swagger 2.0 with Redocly's recommended rules", () => {
    expect(swagger2.swagger).toBe('2.0');
    expect(lintOpenApi(swagger2)).toEqual([]);
  });

  it('keeps every operation, takes the function key as an apiKey and the body as a body parameter', () => {
    const operations = (doc: { paths: Record<string, object> }) =>
      Object.values(doc.paths).flatMap((ops) => Object.values(ops) as { operationId: string }[]);
    expect(operations(swagger2 as never).map((op) => op.operationId)).toEqual(
      operations(openApi).map((op) => op.operationId)
    );
    expect(swagger2.host).toBe('127.0.0.1:7071');
    expect(swagger2.securityDefinitions).toEqual({
      functionKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-functions-key' }),
    });
    expect(swagger2.paths['/api/v1/orders']!.get).toHaveProperty('security', [{ functionKey: [] }]);
    expect(swagger2.paths['/api/health']!.get).toHaveProperty('security', []);
    const post = swagger2.paths['/api/v1/orders']!.post!;
    expect(post.parameters).toEqual([
      { name: 'Idempotency-Key', in: 'header', required: false, type: 'string' },
      expect.objectContaining({ in: 'body', name: 'body', required: true }),
    ]);
    expect(post.responses).toHaveProperty('400', { $ref: '#/responses/BadRequest' });
    expect(swagger2.paths['/api/v1/orders/{orderId}']!.get!.parameters).toEqual([
      { name: 'orderId', in: 'path', required: true, type: 'string' },
    ]);
  });

  it('says what JSON Schema 2020-12 says in the words 2.0 has, and drops the rest', () => {
    expect(schema2({ const: 'ok' })).toEqual({ enum: ['ok'] });
    expect(schema2({ type: ['string', 'null'], minLength: 1 })).toEqual({
      type: 'string',
      minLength: 1,
      'x-nullable': true,
    });
    expect(
      schema2({ oneOf: [{ type: 'null' }, { type: 'object', properties: { id: { type: 'string' } } }] })
    ).toEqual({
      type: 'object',
      properties: { id: { type: 'string' } },
      'x-nullable': true,
    });
    expect(schema2({ type: 'number', exclusiveMinimum: 0 })).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect(schema2({ type: 'object', dependentRequired: { a: ['b'] }, patternProperties: {} })).toEqual({
      type: 'object',
    });
    expect(schema2({ $ref: '#/components/schemas/Problem' })).toEqual({ $ref: '#/definitions/Problem' });
  });
});

describe('openApiDocument', () => {
  it('writes route parameters as OpenAPI path parameters', () => {
    expect(openApiPath('v1/items/{id:int}/{*rest}')).toBe('/api/v1/items/{id}/{rest}');
    const doc = openApiDocument(
      [{ name: 'getItem', method: 'GET', path: 'v1/items/{id}', authLevel: 'function' }],
      {},
      { title: 't', version: '1', serverUrl: 'http://127.0.0.1' }
    );
    expect(doc.paths['/api/v1/items/{id}']!.get).toMatchObject({
      operationId: 'getItem',
      summary: 'Get item',
      parameters: [{ name: 'id', in: 'path', required: true }],
      responses: { '200': expect.any(Object), '404': { $ref: '#/components/responses/NotFound' } },
    });
  });

  it('keeps a Swagger 2.0 export of the same routes', () => {
    const doc = openApiDocument(
      [{ name: 'putItem', method: 'PUT', path: 'v1/items/{id}', authLevel: 'function' }],
      {},
      { title: 't', version: '1', serverUrl: 'https://example.net' }
    );
    expect(toSwagger2(doc)).toMatchObject({ host: 'example.net', schemes: ['https'] });
  });
});
