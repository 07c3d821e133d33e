/** A problem+json answer of the API (docs/api.md): what went wrong and, for bad input, where. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** A refused API call: its status and problem (a made-up one when the answer was not problem+json). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
}

const keyName = 'openiom.functionsKey';
let unauthorized: (message: string) => void = () => undefined;

/**
 * The function key the API asks for, kept for this browser tab only (sessionStorage: gone when the
 * tab closes, never sent anywhere but this origin's /api).
 */
export const session = {
  key: (): string | null => sessionStorage.getItem(keyName),
  signIn: (key: string): void => sessionStorage.setItem(keyName, key),
  signOut: (): void => sessionStorage.removeItem(keyName),
  /** What happens when the API refuses the key (the shell shows the sign-in form with `message`). */
  onUnauthorized: (handler: (message: string) => void): void => {
    unauthorized = handler;
  },
};

export interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * Calls the API with the function key: the parsed JSON answer, or an ApiError. A 401 signs out and
 * brings the sign-in form back before the error reaches the caller.
 */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const key = session.key();
  if (key) headers['x-functions-key'] = key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  const parsed = parseJson(text);
  if (response.ok) return parsed as T;
  const problem = isProblem(parsed)
    ? parsed
    : { title: response.statusText || 'Request failed', status: response.status, detail: text.slice(0, 300) };
  if (response.status === 401) {
    session.signOut();
    unauthorized('The function key was refused. Sign in again with a valid key.');
  }
  throw new ApiError(problem);
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, signal ? { signal } : {}),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body !== undefined ? { body } : {}),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, { body }),
};

/** A path with its query: the parameters that have a value, encoded. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A path segment, encoded. */
export const segment = (value: string): string => encodeURIComponent(value);

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'title' in value && 'status' in value;
}
