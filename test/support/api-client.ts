import { expectHostAnswerMatches, type OpenApiContract } from './openapi-contract';

export interface Json {
  [key: string]: unknown;
}

export interface ApiAnswer {
  status: number;
  body: Json;
}

export interface ApiClient {
  /** The answer, whatever its status. */
  call: (method: string, route: string, body?: unknown) => Promise<ApiAnswer>;
  /** The body of a 2xx answer; any other status throws with the route and the answer. */
  ok: (method: string, route: string, body?: unknown) => Promise<Json>;
}

/**
 * The app's HTTP API as e2e tests call it, with a function key. `baseUrl` is read at each call (the
 * host starts in `beforeAll`); `onAnswer` sees every answer's text (a test that searches them all).
 * Every answer must match the OpenAPI description (test/support/openapi-contract.ts): the one the
 * host serves, or `contract` when given.
 */
export function apiClient(
  baseUrl: () => string,
  key: string,
  onAnswer?: (text: string) => void,
  contract?: () => OpenApiContract
): ApiClient {
  const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
  const call = async (method: string, route: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${baseUrl()}${route}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    onAnswer?.(text);
    const parsed = (text ? JSON.parse(text) : undefined) as Json | undefined;
    if (contract) contract().expectMatches(method, route, res.status, parsed);
    else await expectHostAnswerMatches(method, res.url, res.status, res.headers.get('content-type'), text);
    return { status: res.status, body: parsed ?? {} };
  };
  const ok = async (method: string, route: string, body?: unknown): Promise<Json> => {
    const answer = await call(method, route, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return { call, ok };
}
