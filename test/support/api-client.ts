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
 */
export function apiClient(baseUrl: () => string, key: string, onAnswer?: (text: string) => void): ApiClient {
  const headers = { 'x-functions-key': key, 'content-type': 'application/json' };
  const call = async (method: string, route: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${baseUrl()}${route}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    onAnswer?.(text);
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  const ok = async (method: string, route: string, body?: unknown): Promise<Json> => {
    const answer = await call(method, route, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return { call, ok };
}
