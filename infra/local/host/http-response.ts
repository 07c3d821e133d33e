import { types } from 'util';
import type { RpcHttpData, RpcTypedData } from './core-types';

/**
 * The RPC http response `@azure/functions` would make of a handler's plain `HttpResponseInit`, made
 * without it. The library wraps every result in its `HttpResponse` (an undici `Response`: header
 * normalisation, a body stream) and reads the body back with `arrayBuffer()`; for the common result —
 * a plain object with a status, string headers and a string, bytes or `jsonBody` body — that is most
 * of a request's CPU in the host. Answers `undefined` for anything else (an `HttpResponse` instance,
 * cookies, a stream or other body, an unusual header or status), which then goes through the library,
 * so its rules and errors stay the only ones for those. test/unit/http-response.test.ts runs both on
 * the same results and compares status, headers and body bytes.
 */
export function directHttpResult(result: unknown): { value: RpcTypedData | null | undefined } | undefined {
  if (result === null || result === undefined) return { value: result };
  if (typeof result !== 'object' || !isPlainObject(result)) return undefined;
  const init = result as PlainInit;
  if ('nativeResponse' in init) return undefined;
  const status = init.status === undefined ? 200 : init.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
    return undefined;
  if (init.cookies !== undefined && init.cookies !== null) {
    if (!Array.isArray(init.cookies) || init.cookies.length > 0) return undefined;
  }
  const headers = headerEntries(init.headers);
  if (!headers) return undefined;

  let body: Uint8Array;
  let defaultType: string | undefined;
  const nullBodyStatus = status === 204 || status === 205 || status === 304;
  if (!nullBodyStatus && init.jsonBody !== undefined && init.jsonBody !== null) {
    const text = JSON.stringify(init.jsonBody) as string | undefined;
    body = text === undefined ? emptyBytes : Buffer.from(text, 'utf8');
    defaultType = 'application/json';
  } else if (nullBodyStatus || init.body === undefined || init.body === null) {
    body = emptyBytes;
  } else if (typeof init.body === 'string') {
    body = Buffer.from(init.body, 'utf8');
    defaultType = 'text/plain;charset=UTF-8';
  } else if (types.isArrayBuffer(init.body)) {
    body = new Uint8Array(init.body);
  } else if (ArrayBuffer.isView(init.body) && types.isArrayBuffer(init.body.buffer)) {
    body = new Uint8Array(init.body.buffer, init.body.byteOffset, init.body.byteLength);
  } else {
    return undefined;
  }
  if (defaultType && !headers.has('content-type')) headers.set('content-type', defaultType);

  const sorted: Record<string, string> = {};
  for (const name of [...headers.keys()].sort()) sorted[name] = headers.get(name)!;
  const http: RpcHttpData = {
    statusCode: String(status),
    headers: sorted,
    cookies: [],
    enableContentNegotiation: Boolean(init.enableContentNegotiation),
    body: { bytes: body },
  };
  return { value: { http } };
}

interface PlainInit {
  status?: unknown;
  headers?: unknown;
  body?: unknown;
  jsonBody?: unknown;
  cookies?: unknown;
  enableContentNegotiation?: unknown;
}

const emptyBytes = new Uint8Array(0);

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Header names as fetch's `Headers` accepts them (RFC 9110 tokens). */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Values with no byte the `Headers` class would reject or need to normalise beyond edge blanks. */
const plainValue = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Headers as the library's `Headers` leaves them: lower-case names, values trimmed of blanks, repeated
 * names joined with ", " (Set-Cookie: the last one, as the library copies them into a plain object).
 * `undefined` when a name or value would need the library's own handling (or make it throw).
 */
function headerEntries(init: unknown): Map<string, string> | undefined {
  const out = new Map<string, string>();
  const add = (name: unknown, value: unknown): boolean => {
    if (typeof name !== 'string' || typeof value !== 'string' || !token.test(name) || !plainValue.test(value))
      return false;
    const key = name.toLowerCase();
    const trimmed = value.replace(/^[\t ]+|[\t ]+$/g, '');
    const existing = out.get(key);
    out.set(key, existing === undefined || key === 'set-cookie' ? trimmed : `${existing}, ${trimmed}`);
    return true;
  };
  if (init === undefined || init === null) return out;
  if (init instanceof Headers) {
    for (const [name, value] of init) out.set(name, value);
    return out;
  }
  if (Array.isArray(init)) {
    for (const pair of init as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2 || !add(pair[0], pair[1])) return undefined;
    }
    return out;
  }
  if (typeof init !== 'object' || !isPlainObject(init)) return undefined;
  for (const name of Object.keys(init)) {
    if (!add(name, (init as Record<string, unknown>)[name])) return undefined;
  }
  return out;
}
