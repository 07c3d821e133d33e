import { timingSafeEqual } from 'crypto';
import http, { IncomingMessage, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { bindingString, type RpcHttpData, type RpcTypedData } from './core-types';
import type { RegisteredFunction } from './function-registry';
import { writeProblem } from './host-problem';
import { compileRoute, CompiledRoute, matchParts, pathParts, sortRoutes } from './http-routes';
import type { Invoker } from './invoker';
import { describeError, type HostLogger } from './logger';

export interface HttpServerOptions {
  host: string;
  port: number;
  routePrefix: string;
  maxBodyBytes: number;
  functionsKey: string;
}

/** A plain request as system routes (the Durable HTTP API) see it. */
export interface SystemRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  params: Record<string, string>;
  body: Buffer;
  remoteAddress: string | undefined;
}

export interface SystemResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type SystemRouteHandler = (req: SystemRequest) => Promise<SystemResponse>;

interface Endpoint {
  methods: Set<string> | undefined;
  authLevel: 'anonymous' | 'function' | 'admin';
  fn?: RegisteredFunction;
  system?: SystemRouteHandler;
}

class PayloadTooLargeError extends Error {}

/** The HTTP trigger: routes, methods, auth levels and body limits of the Functions host. */
export class HttpTriggerServer {
  #routes: CompiledRoute<Endpoint>[] = [];
  #server: http.Server | undefined;
  #inFlight = 0;
  #drained: (() => void) | undefined;

  constructor(
    private readonly options: HttpServerOptions,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger
  ) {}

  addFunction(fn: RegisteredFunction): void {
    const trigger = fn.trigger;
    const route = typeof trigger.route === 'string' && trigger.route ? trigger.route : fn.name;
    const methods = Array.isArray(trigger.methods) ? (trigger.methods as string[]) : undefined;
    const authLevel = (
      bindingString(trigger, 'authLevel') || 'function'
    ).toLowerCase() as Endpoint['authLevel'];
    this.#add(joinPath(this.options.routePrefix, route), { methods: methodSet(methods), authLevel, fn });
  }

  /** Routes the host serves itself, outside the route prefix (e.g. `/runtime/webhooks/durabletask/...`). */
  addSystemRoute(
    methods: string[],
    template: string,
    authLevel: Endpoint['authLevel'],
    handler: SystemRouteHandler
  ) {
    this.#add(template, { methods: methodSet(methods), authLevel, system: handler });
  }

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null;
    if (!address) throw new Error('The HTTP server is not listening.');
    return `http://${this.options.host}:${address.port}`;
  }

  async listen(): Promise<void> {
    const server = http.createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 5000;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes every socket. */
  async close(graceMs: number): Promise<void> {
    const server = this.#server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.#inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.#drained = resolve)),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    server.closeAllConnections();
    await closed;
  }

  asDriver(): { stop(graceMs: number): Promise<void> } {
    return { stop: (graceMs) => this.close(graceMs) };
  }

  /** The first route that serves this path and method; the path-only matches explain a 405. */
  #match(path: string, method: string) {
    const pathMatched: CompiledRoute<Endpoint>[] = [];
    const parts = pathParts(path);
    for (const route of this.#routes) {
      const params = matchParts(route, parts);
      if (!params) continue;
      if (!route.target.methods || route.target.methods.has(method))
        return { hit: { route, params }, pathMatched };
      pathMatched.push(route);
    }
    return { hit: undefined, pathMatched };
  }

  #add(template: string, endpoint: Endpoint) {
    this.#routes = sortRoutes([...this.#routes, compileRoute(template, endpoint)]);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#inFlight++;
    try {
      await this.#dispatch(req, res);
    } catch (err) {
      this.logger.log('error', `HTTP ${req.method} ${req.url} failed: ${describeError(err)}`);
      writeProblem(
        res,
        500,
        'Internal Server Error',
        'The request failed inside the host; see the host log.'
      );
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) this.#drained?.();
    }
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? this.options.host}`);
    const { hit, pathMatched } = this.#match(url.pathname, method);
    if (!hit && pathMatched.length === 0) {
      return drainThen(req, () => writeProblem(res, 404, 'Not Found', `No function serves ${url.pathname}.`));
    }
    if (!hit) {
      const allow = [...new Set(pathMatched.flatMap((route) => [...(route.target.methods ?? [])]))].join(
        ', '
      );
      return drainThen(req, () =>
        writeProblem(res, 405, 'Method Not Allowed', `${method} is not allowed on ${url.pathname}.`, {
          allow,
        })
      );
    }
    const endpoint = hit.route.target;
    if (endpoint.authLevel !== 'anonymous' && !this.#hasValidKey(req, url)) {
      return drainThen(req, () =>
        writeProblem(
          res,
          401,
          'Unauthorized',
          'A valid function key is required (x-functions-key header or code).'
        )
      );
    }

    let body: Buffer;
    try {
      body = await readBody(req, this.options.maxBodyBytes);
    } catch (err) {
      if (err instanceof PayloadTooLargeError) {
        res.setHeader('connection', 'close');
        return writeProblem(
          res,
          413,
          'Payload Too Large',
          `The request body exceeds the limit of ${this.options.maxBodyBytes} bytes.`
        );
      }
      throw err;
    }

    if (endpoint.system) {
      const answer = await endpoint.system({
        method,
        url,
        headers: req.headers,
        params: hit.params,
        body,
        remoteAddress: req.socket.remoteAddress,
      });
      return writeSystemResponse(res, answer);
    }
    await this.#invokeFunction(endpoint.fn!, req, res, method, url, hit.params, body);
  }

  async #invokeFunction(
    fn: RegisteredFunction,
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    params: Record<string, string>,
    body: Buffer
  ) {
    const headers: Record<string, string> = {};
    const incoming = req.headers;
    for (const name in incoming) {
      const value = incoming[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    // Most requests have no query string: skip walking (and copying) an empty one.
    const query: Record<string, string> = {};
    if (url.search !== '') for (const [name, value] of url.searchParams) query[name] = value;
    const request: RpcHttpData = {
      method,
      url: url.href,
      headers,
      query,
      params,
      body: body.length > 0 ? { bytes: body } : null,
    };
    let outcome;
    try {
      outcome = await this.invoker.invoke(fn, {
        data: { http: request },
        bindingData: url.search === '' ? params : { ...query, ...params },
      });
    } catch (err) {
      this.logger.log('error', `[${fn.name}] failed: ${describeError(err)}`);
      return writeProblem(
        res,
        500,
        'Internal Server Error',
        `Function "${fn.name}" failed; see the host log.`
      );
    }
    const httpData = findHttpResult(fn, outcome.returnValue, outcome.response.outputData ?? []);
    writeFunctionResponse(res, httpData);
  }

  #hasValidKey(req: IncomingMessage, url: URL): boolean {
    const header = req.headers['x-functions-key'];
    const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? '';
    const expected = Buffer.from(this.options.functionsKey);
    const actual = Buffer.from(given);
    return expected.length > 0 && actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

function findHttpResult(
  fn: RegisteredFunction,
  returnValue: RpcTypedData | null | undefined,
  outputs: { name: string; data: RpcTypedData | null | undefined }[]
): RpcHttpData | undefined {
  if (fn.metadata.bindings.$return?.type?.toLowerCase() === 'http' && returnValue?.http)
    return returnValue.http;
  const named = outputs.find((o) => fn.metadata.bindings[o.name]?.type?.toLowerCase() === 'http');
  return named?.data?.http ?? undefined;
}

function writeFunctionResponse(res: ServerResponse, data: RpcHttpData | undefined): void {
  if (!data) {
    res.writeHead(204);
    res.end();
    return;
  }
  const status = Number(data.statusCode ?? 200) || 200;
  const bytes = data.body?.bytes;
  // A view of the worker's bytes, not a copy: the response is written once and dropped.
  const bodyBytes = bytes
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : Buffer.from(data.body?.string ?? data.body?.json ?? '', 'utf8');
  // The RPC response is this request's own object, so its headers are written as they are.
  const headers: http.OutgoingHttpHeaders = data.headers ?? {};
  if (data.cookies && data.cookies.length > 0) headers['set-cookie'] = data.cookies.map(serializeCookie);
  headers['content-length'] = bodyBytes.length;
  res.writeHead(status, headers);
  res.end(bodyBytes);
}

function writeSystemResponse(res: ServerResponse, answer: SystemResponse): void {
  const hasBody = answer.body !== undefined;
  const text = typeof answer.body === 'string' ? answer.body : hasBody ? JSON.stringify(answer.body) : '';
  res.writeHead(answer.status, {
    ...(hasBody ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...answer.headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function serializeCookie(cookie: NonNullable<RpcHttpData['cookies']>[number]): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  if (cookie.expires?.value?.seconds) {
    parts.push(`Expires=${new Date(cookie.expires.value.seconds * 1000).toUTCString()}`);
  }
  if (cookie.maxAge?.value !== undefined && cookie.maxAge?.value !== null)
    parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  return parts.join('; ');
}

const emptyBody = Buffer.alloc(0);

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (req.complete && req.readableLength === 0) return Promise.resolve(emptyBody);
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve(emptyBody);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers only after the request body is consumed, so a keep-alive connection stays usable. */
function drainThen(req: IncomingMessage, answer: () => void): void {
  if (req.complete) return answer();
  req.resume();
  req.once('end', answer);
  req.once('error', answer);
}

function methodSet(methods: string[] | undefined): Set<string> | undefined {
  return methods && methods.length > 0 ? new Set(methods.map((m) => m.toUpperCase())) : undefined;
}

function joinPath(prefix: string, route: string): string {
  return `/${[prefix, route]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}
