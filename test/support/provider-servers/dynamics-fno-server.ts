/**
 * A local stand-in for a Dynamics 365 Finance & Operations environment's OData service
 * (learn.microsoft.com: "Open Data Protocol (OData)", "Service protection API limits", the "Sales order
 * headers V2" and "Sales order lines V2" entities) and for the Entra ID token endpoint in front of it:
 *
 * - `POST /{tenant}/oauth2/v2.0/token`: client credentials, scope `{this server's URL}/.default`.
 * - `/data/SalesOrderHeadersV2` and `/data/SalesOrderLines`: GET with `$filter` (eq ne gt ge lt le,
 *   and, or, not, parentheses; 'text', numbers, unquoted date-times, enum literals
 *   `Microsoft.Dynamics.DataEntities.SalesStatus'Delivered'`), `$orderby`, `$top`, `$select`,
 *   `cross-company=true` (without it only the default company's rows), server paging by
 *   `Prefer: odata.maxpagesize` (capped at `maxPageSize`) with `@odata.nextLink`; POST creates (the
 *   header's SalesOrderNumber from a number sequence).
 * - 401 without a valid bearer token, 429 + Retry-After when told, 503 for the next N calls, 400 with
 *   an OData error body `{"error":{"code","message"}}` for bad bodies or when told.
 *
 * Assumed where the docs are silent: the exact error codes and messages, the number sequence format
 * (`SO-000001`), `LineCreationSequenceNumber` as the line's key within its order, and that
 * `ModifiedDateTime` is set on each header write.
 */
import {
  header,
  jsonReply,
  scalarText,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

export type Row = Record<string, string | number | boolean | null>;

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingRequest['headers'];
  body: string;
}

export interface FnoServer {
  url: string;
  tenantId: string;
  requests: RequestLogEntry[];
  /** Entity requests that passed auth. */
  received: ReceivedRequest[];
  headers: Row[];
  lines: Row[];
  tokensIssued(): number;
  revokeTokens(): void;
  /** The next `count` entity calls answer 503. */
  failNext(count: number): void;
  /** The next `count` entity calls answer 429 with `Retry-After: seconds`. */
  throttleNext(count: number, seconds?: number): void;
  /** The next entity call answers 400 with this OData error. */
  rejectNext(code: string, message: string): void;
  /** Changes a header as F&O would when the order moves on (e.g. the packing slip is posted). */
  setStatus(salesOrderNumber: string, status: string, at: Date): void;
  close(): Promise<void>;
}

export interface FnoServerOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** The company a request without cross-company=true sees. */
  defaultDataAreaId?: string;
  maxPageSize?: number;
  /** The environment's clock for ModifiedDateTime (tests fix it). */
  now?: () => Date;
}

const entityKeys: Record<string, string> = { SalesOrderHeadersV2: 'headers', SalesOrderLines: 'lines' };

export async function startFnoServer(options: FnoServerOptions = {}): Promise<FnoServer> {
  const tenantId = options.tenantId ?? 'contoso.onmicrosoft.com';
  const clientId = options.clientId ?? 'fno-client';
  const clientSecret = options.clientSecret ?? 'fno-secret';
  const defaultArea = options.defaultDataAreaId ?? 'dat';
  const maxPageSize = options.maxPageSize ?? 10_000;
  const now = options.now ?? (() => new Date());
  const tables: Record<string, Row[]> = { headers: [], lines: [] };
  const received: ReceivedRequest[] = [];
  let baseUrl = '';
  let tokens = new Set<string>();
  let issued = 0;
  let failures = 0;
  let throttles = 0;
  let retryAfter = 1;
  let rejection: { code: string; message: string } | undefined;
  let sequence = 0;

  const odataError = (
    status: number,
    code: string,
    message: string,
    extra: Record<string, string> = {}
  ): Reply =>
    jsonReply(
      status,
      {
        error: {
          code,
          message,
          innererror: {
            message,
            type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataException',
          },
        },
      },
      extra
    );

  function issueToken(request: IncomingRequest): Reply {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return jsonReply(400, {
        error: 'unsupported_grant_type',
        error_description: 'AADSTS70003: grant type not supported',
      });
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return jsonReply(401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
      });
    }
    if (form.get('scope') !== `${baseUrl}/.default`) {
      return jsonReply(400, {
        error: 'invalid_scope',
        error_description: `AADSTS70011: The scope ${form.get('scope')} is not valid.`,
      });
    }
    issued++;
    const token = `fno-token-${issued}`;
    tokens.add(token);
    return jsonReply(200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: token,
    });
  }

  function list(table: Row[], url: URL, prefer: string | undefined): Reply {
    const params = url.searchParams;
    let rows = table;
    if (params.get('cross-company') !== 'true') rows = rows.filter((row) => row.dataAreaId === defaultArea);
    const filter = params.get('$filter');
    if (filter !== null) {
      let predicate: (row: Row) => boolean;
      try {
        predicate = parseFilter(filter);
      } catch (err) {
        return odataError(
          400,
          'BadRequest',
          `The query specified in the URI is not valid. ${(err as Error).message}`
        );
      }
      rows = rows.filter(predicate);
    }
    const orderby = params.get('$orderby');
    if (orderby !== null) {
      const keys = orderby.split(',').map((part) => part.trim().split(/\s+/));
      rows = [...rows].sort((a, b) => {
        for (const [field, direction] of keys) {
          const order = compare(a[field!], b[field!]) * (direction === 'desc' ? -1 : 1);
          if (order !== 0) return order;
        }
        return 0;
      });
    }
    const skip = Number(params.get('$skiptoken') ?? '0');
    const top = params.has('$top') ? Number(params.get('$top')) : Number.POSITIVE_INFINITY;
    const preferred = /odata\.maxpagesize=(\d+)/.exec(prefer ?? '');
    const pageSize = Math.min(maxPageSize, preferred ? Number(preferred[1]) : maxPageSize);
    const end = Math.min(rows.length, top);
    const page = rows.slice(skip, Math.min(end, skip + pageSize));
    const select = params
      .get('$select')
      ?.split(',')
      .map((s) => s.trim());
    const value = page.map((row) =>
      select === undefined ? row : Object.fromEntries(select.map((name) => [name, row[name] ?? null]))
    );
    const body: Record<string, unknown> = {
      '@odata.context': `${baseUrl}/data/$metadata#${url.pathname.slice(6)}`,
      value,
    };
    if (skip + page.length < end) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(skip + page.length));
      body['@odata.nextLink'] = `${baseUrl}${next.pathname}?${next.searchParams.toString()}`;
    }
    return jsonReply(200, body, { 'OData-Version': '4.0' });
  }

  function create(entity: string, text: string): Reply {
    let row: Row;
    try {
      row = JSON.parse(text) as Row;
    } catch {
      return odataError(400, 'BadRequest', 'The request body is not valid JSON.');
    }
    if (typeof row.dataAreaId !== 'string' || row.dataAreaId === '') {
      return odataError(400, 'BadRequest', 'Field dataAreaId is required.');
    }
    if (entity === 'SalesOrderHeadersV2') {
      if (typeof row.OrderingCustomerAccountNumber !== 'string' || row.OrderingCustomerAccountNumber === '') {
        return odataError(
          400,
          'BadRequest',
          "Write failed for table row of type 'SalesOrderHeaderV2Entity'. Customer account must be filled in."
        );
      }
      sequence++;
      const created: Row = {
        ...row,
        SalesOrderNumber: row.SalesOrderNumber ?? `SO-${String(sequence).padStart(6, '0')}`,
        SalesOrderStatus: 'Backorder',
        ModifiedDateTime: now().toISOString(),
      };
      tables.headers!.push(created);
      return jsonReply(201, {
        '@odata.context': `${baseUrl}/data/$metadata#SalesOrderHeadersV2/$entity`,
        ...created,
      });
    }
    const order = tables.headers!.find(
      (h) => h.SalesOrderNumber === row.SalesOrderNumber && h.dataAreaId === row.dataAreaId
    );
    if (order === undefined) {
      return odataError(400, 'BadRequest', `Sales order ${String(row.SalesOrderNumber)} does not exist.`);
    }
    if (typeof row.ItemNumber !== 'string' || typeof row.OrderedSalesQuantity !== 'number') {
      return odataError(400, 'BadRequest', 'ItemNumber and OrderedSalesQuantity are required.');
    }
    const duplicate = tables.lines!.some(
      (l) =>
        l.SalesOrderNumber === row.SalesOrderNumber &&
        l.dataAreaId === row.dataAreaId &&
        l.LineCreationSequenceNumber === row.LineCreationSequenceNumber
    );
    if (duplicate) return odataError(400, 'BadRequest', 'The record already exists.');
    const created: Row = {
      ...row,
      InventoryLotId: `LOT-${tables.lines!.length + 1}`,
      SalesOrderLineStatus: 'Backorder',
    };
    tables.lines!.push(created);
    return jsonReply(201, {
      '@odata.context': `${baseUrl}/data/$metadata#SalesOrderLines/$entity`,
      ...created,
    });
  }

  const server = await serveLocally((request) => {
    const path = request.url.pathname;
    if (request.method === 'POST' && path === `/${tenantId}/oauth2/v2.0/token`) return issueToken(request);
    const authorization = header(request.headers, 'authorization') ?? '';
    if (!authorization.startsWith('Bearer ') || !tokens.has(authorization.slice(7))) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    received.push({
      method: request.method,
      path,
      query: request.url.searchParams,
      headers: request.headers,
      body: request.body,
    });
    if (failures > 0) {
      failures--;
      return odataError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
    }
    if (throttles > 0) {
      throttles--;
      return odataError(429, 'TooManyRequests', 'Too many requests. Retry after the time in Retry-After.', {
        'Retry-After': String(retryAfter),
      });
    }
    if (rejection !== undefined) {
      const { code, message } = rejection;
      rejection = undefined;
      return odataError(400, code, message);
    }
    const match = /^\/data\/([A-Za-z0-9]+)$/.exec(path);
    const table = match ? entityKeys[match[1]!] : undefined;
    if (match === null || table === undefined) return odataError(404, 'NotFound', `No entity at ${path}.`);
    if (request.method === 'GET') return list(tables[table]!, request.url, header(request.headers, 'prefer'));
    if (request.method === 'POST') return create(match[1]!, request.body);
    return odataError(405, 'MethodNotAllowed', `${request.method} is not supported here.`);
  });
  baseUrl = server.url;

  return {
    url: server.url,
    tenantId,
    requests: server.requests,
    received,
    headers: tables.headers!,
    lines: tables.lines!,
    tokensIssued: () => issued,
    revokeTokens: () => {
      tokens = new Set();
    },
    failNext: (count) => {
      failures = count;
    },
    throttleNext: (count, seconds = 1) => {
      throttles = count;
      retryAfter = seconds;
    },
    rejectNext: (code, message) => {
      rejection = { code, message };
    },
    setStatus: (salesOrderNumber, status, at) => {
      const row = tables.headers!.find((h) => h.SalesOrderNumber === salesOrderNumber);
      if (row === undefined) throw new Error(`no sales order ${salesOrderNumber}`);
      row.SalesOrderStatus = status;
      row.ModifiedDateTime = at.toISOString();
    },
    close: () => server.close(),
  };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = scalarText(a);
  const y = scalarText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

type Token = { kind: 'name' | 'literal' | 'op' | 'paren'; text: string; value?: unknown };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\()|(\))|'((?:[^']|'')*)'|([A-Za-z_][\w.]*)'((?:[^']|'')*)'|(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)?)|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w.]*))/y;
  let at = 0;
  while (at < filter.length) {
    if (/^\s*$/.test(filter.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(filter);
    if (m === null) throw new Error(`Syntax error at position ${at} in '${filter}'.`);
    at = pattern.lastIndex;
    if (m[1] || m[2]) tokens.push({ kind: 'paren', text: m[1] ?? m[2]! });
    else if (m[3] !== undefined)
      tokens.push({ kind: 'literal', text: m[0], value: m[3].replace(/''/g, "'") });
    else if (m[4] !== undefined)
      tokens.push({ kind: 'literal', text: m[0], value: m[5]!.replace(/''/g, "'") });
    else if (m[6] !== undefined)
      tokens.push({ kind: 'literal', text: m[6], value: new Date(m[6]).toISOString() });
    else if (m[7] !== undefined) tokens.push({ kind: 'literal', text: m[7], value: Number(m[7]) });
    else {
      const word = m[8]!;
      const op = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not'].includes(word);
      const literal = word === 'null' || word === 'true' || word === 'false';
      tokens.push(
        literal
          ? { kind: 'literal', text: word, value: word === 'null' ? null : word === 'true' }
          : { kind: op ? 'op' : 'name', text: word }
      );
    }
  }
  return tokens;
}

/** A `$filter` expression as a predicate (or precedence: or < and < not < comparison). */
function parseFilter(filter: string): (row: Row) => boolean {
  const tokens = tokenize(filter);
  let at = 0;
  const peek = () => tokens[at];
  const expect = (text: string) => {
    if (tokens[at]?.text !== text) throw new Error(`'${text}' expected at token ${at} in '${filter}'.`);
    at++;
  };
  const or = (): ((row: Row) => boolean) => {
    let left = and();
    while (peek()?.text === 'or') {
      at++;
      const [l, r] = [left, and()];
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const and = (): ((row: Row) => boolean) => {
    let left = unary();
    while (peek()?.text === 'and') {
      at++;
      const [l, r] = [left, unary()];
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const unary = (): ((row: Row) => boolean) => {
    if (peek()?.text === 'not') {
      at++;
      const inner = unary();
      return (row) => !inner(row);
    }
    if (peek()?.text === '(') {
      at++;
      const inner = or();
      expect(')');
      return inner;
    }
    const field = tokens[at++];
    const op = tokens[at++];
    const literal = tokens[at++];
    if (field?.kind !== 'name' || op?.kind !== 'op' || literal?.kind !== 'literal') {
      throw new Error(`A comparison 'Field op value' expected in '${filter}'.`);
    }
    const value = literal.value;
    const test: Record<string, (c: number) => boolean> = {
      eq: (c) => c === 0,
      ne: (c) => c !== 0,
      gt: (c) => c > 0,
      ge: (c) => c >= 0,
      lt: (c) => c < 0,
      le: (c) => c <= 0,
    };
    const check = test[op.text];
    if (check === undefined) throw new Error(`Unknown operator ${op.text}.`);
    return (row) => check(compare(row[field.text] ?? null, value));
  };
  const predicate = or();
  if (at !== tokens.length) throw new Error(`Unexpected '${tokens[at]!.text}' in '${filter}'.`);
  return predicate;
}
