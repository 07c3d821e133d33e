import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks real answers against an OpenAPI 3.1 description: the route and method are described, the
 * status is one of the operation's responses, and a JSON body validates against the schema the
 * description declares for it (2020-12 dialect, as OpenAPI 3.1 speaks).
 */
export interface OpenApiContract {
  /** The problems found (none when the answer matches). */
  mismatches: (method: string, url: string, status: number, body: unknown) => string[];
  /** Throws naming the route and every mismatch. */
  expectMatches: (method: string, url: string, status: number, body: unknown) => void;
}

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: { schemas: Record<string, object>; responses: Record<string, Response> };
};
type Response = { $ref?: string; content?: Record<string, { schema: object }> };

export function openApiContract(document: unknown): OpenApiContract {
  const doc = document as Doc;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  // Component schemas are reachable by their JSON Pointer within the description.
  ajv.addSchema({ components: { schemas: doc.components.schemas } }, 'openapi');
  const compiled = new Map<object, ValidateFunction>();
  const validatorOf = (schema: object): ValidateFunction => {
    const ref = (schema as { $ref?: string }).$ref;
    const resolved = ref ? { $ref: `openapi${ref}` } : schema;
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(resolved)));
    return validate;
  };
  // Templates with fewer parameters first: a literal segment wins, as it does in the host.
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
    }))
    .sort((a, b) => a.params - b.params);

  const mismatches = (method: string, url: string, status: number, body: unknown): string[] => {
    const path = new URL(url, 'http://host').pathname;
    const match = templates.find((t) => t.pattern.test(path) && doc.paths[t.template]![method.toLowerCase()]);
    if (!match) return [`${method} ${path} is not described`];
    const operation = doc.paths[match.template]![method.toLowerCase()]!;
    let response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) return [`${method} ${match.template} does not describe status ${status}`];
    if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()!]!;
    const content = response.content;
    if (!content)
      return body === undefined || body === '' ? [] : [`status ${status} is described without a body`];
    const schema = (content['application/json'] ?? content['application/problem+json'])?.schema;
    if (!schema) return [];
    const validate = validatorOf(schema);
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`);
  };

  return {
    mismatches,
    expectMatches: (method, url, status, body) => {
      const found = mismatches(method, url, status, body);
      if (found.length) {
        throw new Error(
          `${method} ${url} → ${status} does not match the OpenAPI description: ${found.join('; ')}`
        );
      }
    },
  };
}

const contracts = new Map<string, Promise<OpenApiContract>>();

/** The contract of the description a running host serves (fetched once per host). */
export function hostContract(baseUrl: string): Promise<OpenApiContract> {
  const origin = new URL(baseUrl).origin;
  let contract = contracts.get(origin);
  if (!contract) {
    contract = fetch(`${origin}/api/openapi.json`).then(async (res) => {
      if (res.status !== 200) throw new Error(`GET ${origin}/api/openapi.json answered ${res.status}`);
      return openApiContract(await res.json());
    });
    contracts.set(origin, contract);
  }
  return contract;
}

/**
 * Checks one answer of a running host against the description it serves; throws on a mismatch. Only
 * the app's own API routes are checked (not the descriptions themselves), and a body only when it is
 * JSON (problem+json included).
 */
export async function expectHostAnswerMatches(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  text: string
): Promise<void> {
  const { pathname } = new URL(url);
  if (!pathname.startsWith('/api/') || /^\/api\/openapi2?\.json$/.test(pathname)) return;
  const json = /[/+]json\b/.test(contentType ?? '');
  const body = text === '' ? undefined : json ? (JSON.parse(text) as unknown) : text;
  (await hostContract(url)).expectMatches(method, url, status, body);
}

/**
 * `fetch` whose answers from the app are checked against its OpenAPI description, for e2e tests that
 * call the API directly: `const api = checkedFetch(); await api(`${host.url}/api/v1/orders`)`.
 */
export function checkedFetch(): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const text = await response.clone().text();
    await expectHostAnswerMatches(method, url, response.status, response.headers.get('content-type'), text);
    return response;
  };
}
