/**
 * What the local provider servers share: the request log tests assert on, a small node:http wrapper
 * that records every answer, JSON text that keeps integers beyond 2^53 exact, and the path of the
 * published payload samples the datasets are cloned from.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface RequestLogEntry {
  method: string;
  /** The path without the query string. */
  path: string;
  /** Query parameters as sent (the last value wins when a name repeats). */
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The request body as sent ('' when none). */
  body: string;
  status: number;
  /** ISO time the request arrived. */
  at: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Raw body text; omitted for bodiless answers such as 204. */
  body?: string;
}

export interface IncomingRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LocalServer {
  url: string;
  requests: RequestLogEntry[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with a free port; every request and its final status go to `requests`. */
export async function serveLocally(
  handle: (request: IncomingRequest) => Promise<Reply> | Reply
): Promise<LocalServer> {
  const requests: RequestLogEntry[] = [];
  const server = http.createServer((req, res) => {
    const at = new Date().toISOString();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const incoming: IncomingRequest = {
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      Promise.resolve()
        .then(() => handle(incoming))
        .catch((error: unknown): Reply => ({
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: error instanceof Error ? error.message : String(error) }),
        }))
        .then((reply) => {
          requests.push({
            method: incoming.method,
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers: req.headers,
            body: incoming.body,
            status: reply.status,
            at,
          });
          res.writeHead(reply.status, reply.headers ?? {});
          res.end(reply.body);
        })
        .catch(() => res.destroy());
    });
  });
  // Keep-alive sockets would hold close() open after a test is done with the server.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Failures a test tells a provider server to answer: the next N requests unavailable (503), or every
 * request refused with the provider's own error until `accept()`.
 */
export class InjectedFaults {
  #unavailable = 0;
  #refusal: string | undefined;

  /** The next `count` requests answer 503. */
  failNext(count: number): void {
    this.#unavailable = count;
  }

  /** Every request answers 400 with `message` in the provider's error body, until accept(). */
  refuse(message: string): void {
    this.#refusal = message;
  }

  accept(): void {
    this.#refusal = undefined;
    this.#unavailable = 0;
  }

  /** What the current request is to answer instead of its real answer, if anything. */
  take(): { kind: 'unavailable' } | { kind: 'refused'; message: string } | undefined {
    if (this.#unavailable > 0) {
      this.#unavailable--;
      return { kind: 'unavailable' };
    }
    return this.#refusal === undefined ? undefined : { kind: 'refused', message: this.#refusal };
  }
}

const BIGINT_MARK = '\u0000bigint:';

/**
 * JSON text in which bigint values come out as bare number literals, digit for digit: providers send
 * ids beyond 2^53 that a JavaScript number would round.
 */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${BIGINT_MARK}${v.toString()}` : v
  );
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: jsonText(value),
  };
}

export function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The repository root: tests run from the TypeScript sources (ts-jest) and benchmarks from dist/, so
 * the depth below the root differs; the root is the directory whose package.json names openiom.
 */
export function repositoryRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'openiom') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no openiom package.json above ${from}`);
    dir = parent;
  }
}

/** A published provider payload sample, from ../shared/reference/provider-payloads beside the repository. */
export function readProviderPayload(relativePath: string): string {
  const file = path.resolve(repositoryRoot(), '../shared/reference/provider-payloads', relativePath);
  return fs.readFileSync(file, 'utf8');
}

/** A deep copy of plain JSON data. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A field's text for comparisons: '' for null/absent, JSON for objects. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  return JSON.stringify(value);
}
