import type { ServerResponse } from 'http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where the `type` URIs of the host's own problems point; a slug per status is appended. */
let problemTypeBase = 'urn:local-functions-host:problem:';

/** An app can make the host's problems look like its own (same `type` URIs), as openiom does. */
export function setProblemTypeBase(base: string): void {
  problemTypeBase = base;
}

const slugs: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  500: 'internal-error',
  501: 'not-implemented',
  503: 'service-unavailable',
};

export interface HostProblem {
  status: number;
  headers: Record<string, string>;
  body: { type: string; title: string; status: number; detail: string };
}

/** An RFC 9457 problem details answer. */
export function hostProblem(
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {}
): HostProblem {
  return {
    status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: { type: `${problemTypeBase}${slugs[status] ?? `http-${status}`}`, title, status, detail },
  };
}

/** problem+json answers the host gives itself (no route, wrong method, no key, body too large, crash). */
export function writeProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {}
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const answer = hostProblem(status, title, detail, headers);
  const body = JSON.stringify(answer.body);
  res.writeHead(status, { ...answer.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
