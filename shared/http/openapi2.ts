import type { OpenApiDocument, Operation } from './openapi';

/**
 * The OpenAPI 3.1 description down-converted to Swagger 2.0, the version Power Automate and Logic
 * Apps custom connectors import (docs/openapi.md). Lossy where 2.0 has no word for a JSON Schema
 * keyword (`oneOf`, `if`, `patternProperties`, ...): those are dropped, so the connector checks less
 * than the API does, never more.
 */
export function toSwagger2(doc: OpenApiDocument): Record<string, unknown> {
  const servers = doc.servers as { url: string }[];
  const server = new URL(servers[0]!.url);
  const components = doc.components as {
    schemas: Record<string, object>;
    responses: Record<string, { description: string; content: Record<string, { schema: object }> }>;
    securitySchemes: Record<string, object>;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(doc.paths)) {
    paths[path] = Object.fromEntries(
      Object.entries(operations).map(([method, op]) => [method, operation2(op)])
    );
  }
  return {
    swagger: '2.0',
    // 2.0 names a license by its URL (3.1's SPDX `identifier` has no 2.0 form).
    info: { ...(doc.info as object), license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' } },
    host: server.host,
    basePath: '/',
    schemes: [server.protocol.replace(':', '')],
    consumes: ['application/json'],
    produces: ['application/json'],
    tags: doc.tags,
    paths,
    definitions: Object.fromEntries(
      Object.entries(components.schemas).map(([name, s]) => [name, schema2(s)])
    ),
    responses: Object.fromEntries(
      Object.entries(components.responses).map(([name, r]) => [
        name,
        { description: r.description, schema: { $ref: '#/definitions/Problem' } },
      ])
    ),
    // A custom connector takes one security definition: the header (the `code` query alternative
    // stays in the 3.1 description).
    securityDefinitions: { functionKey: components.securitySchemes.functionKey },
  };
}

function operation2(op: Operation): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = (op.parameters ?? []).map(({ schema, ...parameter }) => ({
    ...parameter,
    ...(schema2(schema) as Record<string, unknown>),
  }));
  const body = op.requestBody?.content['application/json'];
  if (body) {
    parameters.push({
      name: 'body',
      in: 'body',
      required: op.requestBody!.required,
      schema: schema2(body.schema),
    });
  }
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, response]): [string, unknown] => {
      const r = response as {
        $ref?: string;
        description?: string;
        content?: Record<string, { schema: object }>;
      };
      if (r.$ref) return [status, { $ref: r.$ref.replace('#/components/responses/', '#/responses/') }];
      const content = r.content?.['application/json'];
      return [
        status,
        { description: r.description, ...(content ? { schema: schema2(content.schema) } : {}) },
      ];
    })
  );
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: op.tags,
    ...(op.requestBody ? { consumes: ['application/json'] } : {}),
    produces: ['application/json', 'application/problem+json'],
    ...(parameters.length ? { parameters } : {}),
    responses,
    security: op.security.length ? [{ functionKey: [] }] : [],
  };
}

/** Keywords a Swagger 2.0 schema (or a non-body parameter) has. */
const SWAGGER2_KEYWORDS = new Set([
  '$ref',
  'format',
  'title',
  'description',
  'default',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'type',
  'items',
  'allOf',
  'properties',
  'additionalProperties',
  'readOnly',
]);

/** A JSON Schema 2020-12 schema as Swagger 2.0 can say it. */
export function schema2(input: object): object {
  const s = { ...(input as Record<string, unknown>) };
  const out: Record<string, unknown> = {};
  if ('const' in s) s.enum = [s.const];
  const alternatives = (s.oneOf ?? s.anyOf) as object[] | undefined;
  if (alternatives) {
    // `{oneOf: [{type: 'null'}, X]}` is a nullable X; other unions have no 2.0 form.
    const nonNull = alternatives.filter((a) => (a as { type?: unknown }).type !== 'null');
    if (nonNull.length === 1)
      Object.assign(s, nonNull[0], { nullable: nonNull.length < alternatives.length });
  }
  if (Array.isArray(s.type)) {
    const types = (s.type as string[]).filter((t) => t !== 'null');
    if (types.length < (s.type as string[]).length) out['x-nullable'] = true;
    if (types.length === 1) s.type = types[0];
    else delete s.type;
  }
  if (s.nullable === true) out['x-nullable'] = true;
  if (s.type === 'null') delete s.type;
  for (const bound of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
    if (typeof s[bound] === 'number') {
      s[bound === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = s[bound];
      s[bound] = true;
    }
  }
  if (s.$ref) return { $ref: (s.$ref as string).replace('#/components/schemas/', '#/definitions/') };
  for (const [key, value] of Object.entries(s)) {
    if (!SWAGGER2_KEYWORDS.has(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, object>).map(([name, p]) => [name, schema2(p)])
      );
    } else if (key === 'items') {
      out.items = Array.isArray(value) ? schema2(value[0] as object) : schema2(value as object);
    } else if (key === 'allOf') {
      out.allOf = (value as object[]).map(schema2);
    } else if (key === 'additionalProperties' && typeof value === 'object') {
      out.additionalProperties = schema2(value as object);
    } else {
      out[key] = value;
    }
  }
  return out;
}
