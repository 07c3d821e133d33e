/**
 * A configurable JSON API for the declarative HTTP provider and the built-ins on it (Flexe, Uber
 * Freight): routes are given by the test, every request is checked against one auth scheme (Basic,
 * a static bearer token, an API key header, or bearer tokens issued by its own OAuth2
 * client-credentials endpoint `POST /oauth/token`), and it can fail the next N calls with 503 or
 * answer the next one 400 with a JSON error body.
 *
 * Flexe's and Uber Freight's APIs are not public: `flexeRoutes` and `uberFreightRoutes` model the
 * shapes our built-in definitions assume (docs/providers.md), nothing confirmed.
 */
import { createHmac } from 'node:crypto';
import {
  header,
  jsonReply,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

export type ServerAuth =
  | { scheme: 'none' }
  | { scheme: 'basic'; username: string; password: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'apiKeyHeader'; header: string; apiKey: string }
  | {
      scheme: 'oauthClientCredentials';
      clientId: string;
      clientSecret: string;
      scope?: string;
      expiresIn?: number;
    };

/** A request as a route sees it: the JSON body parsed (undefined when empty). */
export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingRequest['headers'];
  body: unknown;
}

export type Route = (request: RouteRequest) => { status: number; body?: unknown };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingRequest['headers'];
  body: string;
}

export interface GenericHttpServer {
  url: string;
  /** Every request with its final status (token requests included). */
  requests: RequestLogEntry[];
  /** Every request to a route that passed auth, with its body as sent. */
  received: ReceivedRequest[];
  /** Token requests answered with a token. */
  tokensIssued(): number;
  /** Makes every issued token invalid (a rotated key): the next call with one answers 401. */
  revokeTokens(): void;
  /** The next `count` route calls answer 503. */
  failNext(count: number): void;
  /** The next route call answers 400 with this body. */
  rejectNext(body: unknown): void;
  close(): Promise<void>;
}

export async function startGenericHttpServer(options: {
  auth: ServerAuth;
  /** By `METHOD /path` (exact path). */
  routes: Record<string, Route>;
}): Promise<GenericHttpServer> {
  const { auth } = options;
  const received: ReceivedRequest[] = [];
  let validTokens = new Set<string>();
  let issued = 0;
  let failures = 0;
  let rejection: unknown;

  const unauthorized = (): Reply =>
    jsonReply(401, { error: { code: 'unauthorized', message: 'Authentication failed.' } });

  function issueToken(request: IncomingRequest): Reply {
    if (auth.scheme !== 'oauthClientCredentials') return jsonReply(404, { message: 'no token endpoint' });
    const form = new URLSearchParams(request.body);
    if (header(request.headers, 'content-type')?.startsWith('application/x-www-form-urlencoded') !== true) {
      return jsonReply(400, { error: 'invalid_request', error_description: 'form body expected' });
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return jsonReply(400, { error: 'unsupported_grant_type' });
    }
    if (form.get('client_id') !== auth.clientId || form.get('client_secret') !== auth.clientSecret) {
      return jsonReply(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    }
    if (auth.scope !== undefined && form.get('scope') !== auth.scope) {
      return jsonReply(400, { error: 'invalid_scope', error_description: `scope must be ${auth.scope}` });
    }
    issued++;
    const token = `token-${issued}`;
    validTokens.add(token);
    return jsonReply(200, { access_token: token, token_type: 'Bearer', expires_in: auth.expiresIn ?? 3600 });
  }

  function authenticated(request: IncomingRequest): boolean {
    const authorization = header(request.headers, 'authorization') ?? '';
    switch (auth.scheme) {
      case 'none':
        return true;
      case 'basic':
        return (
          authorization === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
        );
      case 'bearer':
        return authorization === `Bearer ${auth.token}`;
      case 'apiKeyHeader':
        return header(request.headers, auth.header) === auth.apiKey;
      case 'oauthClientCredentials':
        return authorization.startsWith('Bearer ') && validTokens.has(authorization.slice(7));
    }
  }

  const server = await serveLocally((request) => {
    const path = request.url.pathname;
    if (request.method === 'POST' && path === '/oauth/token') return issueToken(request);
    if (!authenticated(request)) return unauthorized();
    received.push({ method: request.method, path, headers: request.headers, body: request.body });
    if (failures > 0) {
      failures--;
      return jsonReply(503, { message: 'Service unavailable, try again.' });
    }
    if (rejection !== undefined) {
      const body = rejection;
      rejection = undefined;
      return jsonReply(400, body);
    }
    const route = options.routes[`${request.method} ${path}`];
    if (route === undefined) return jsonReply(404, { message: `no route ${request.method} ${path}` });
    let body: unknown;
    try {
      body = request.body === '' ? undefined : JSON.parse(request.body);
    } catch {
      return jsonReply(400, { message: 'The body is not JSON.' });
    }
    const answer = route({
      method: request.method,
      path,
      query: request.url.searchParams,
      headers: request.headers,
      body,
    });
    return answer.body === undefined ? { status: answer.status } : jsonReply(answer.status, answer.body);
  });

  return {
    url: server.url,
    requests: server.requests,
    received,
    tokensIssued: () => issued,
    revokeTokens: () => {
      validTokens = new Set();
    },
    failNext: (count) => {
      failures = count;
    },
    rejectNext: (body) => {
      rejection = body;
    },
    close: () => server.close(),
  };
}

/** `hex(HMAC-SHA256(secret, body))`: how the servers sign callbacks they send us. */
export function signBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** What the assumed Flexe API keeps: orders by our external id (one per Idempotency-Key). */
export interface FlexeState {
  orders: Map<string, { id: string; request: Record<string, unknown> }>;
}

/**
 * `POST /v2/fulfillment_orders` as our Flexe definition assumes it: creates an order (id `FX-n`)
 * and answers 201 `{id, externalId, state}`; the same Idempotency-Key answers the same order; a
 * body without externalId or lineItems is a 422 `{message}`.
 */
export function flexeRoutes(state: FlexeState = { orders: new Map() }): Record<string, Route> {
  const byKey = new Map<string, string>();
  return {
    'POST /v2/fulfillment_orders': (request) => {
      const body = (request.body ?? {}) as { externalId?: unknown; lineItems?: unknown[] };
      if (
        typeof body.externalId !== 'string' ||
        !Array.isArray(body.lineItems) ||
        body.lineItems.length === 0
      ) {
        return { status: 422, body: { message: 'externalId and lineItems are required' } };
      }
      const key = header(request.headers, 'idempotency-key');
      const known = key === undefined ? undefined : byKey.get(key);
      const order = known === undefined ? undefined : state.orders.get(known);
      if (order !== undefined)
        return { status: 201, body: { id: order.id, externalId: known, state: 'new' } };
      const id = `FX-${state.orders.size + 1}`;
      state.orders.set(body.externalId, { id, request: body });
      if (key !== undefined) byKey.set(key, body.externalId);
      return { status: 201, body: { id, externalId: body.externalId, state: 'new' } };
    },
  };
}

/** A Flexe shipment callback (assumed shape) for an order we sent. */
export function flexeShipmentCallback(externalId: string, eventId: string): Record<string, unknown> {
  return {
    eventId,
    type: 'shipment',
    externalId,
    orderId: 'FX-1',
    shipments: [
      { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://ups.example/1Z999' },
    ],
  };
}

/** What the assumed Uber Freight API keeps: tendered loads by their reference (our FO id). */
export interface UberFreightState {
  loads: Map<string, { loadId: string; request: Record<string, unknown> }>;
}

/** `POST /v1/freight/loads` as our Uber Freight definition assumes it: 201 `{load_id, status: TENDERED}`. */
export function uberFreightRoutes(state: UberFreightState = { loads: new Map() }): Record<string, Route> {
  return {
    'POST /v1/freight/loads': (request) => {
      const body = (request.body ?? {}) as { reference_number?: unknown; stops?: unknown[] };
      if (typeof body.reference_number !== 'string' || !Array.isArray(body.stops) || body.stops.length < 2) {
        return {
          status: 400,
          body: { code: 'invalid_load', message: 'reference_number and two stops are required' },
        };
      }
      const existing = state.loads.get(body.reference_number);
      const loadId = existing?.loadId ?? `UF-${state.loads.size + 1001}`;
      state.loads.set(body.reference_number, { loadId, request: body });
      return { status: 201, body: { load_id: loadId, status: 'TENDERED' } };
    },
  };
}
