import type { ServerResponse } from 'http';
import { problem } from '../../../shared/http/problem';

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
  const answer = problem(status, title, detail, { headers });
  const body = JSON.stringify(answer.jsonBody);
  res.writeHead(status, { ...answer.headers, 'content-length': Buffer.byteLength(body) } as Record<
    string,
    string | number
  >);
  res.end(body);
}
