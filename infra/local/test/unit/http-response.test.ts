import fc from 'fast-check';
import type { CoreInvocationContext, RpcHttpData, RpcTypedData } from '../../host/core-types';
import { FunctionRegistry } from '../../host/function-registry';
import { directHttpResult } from '../../host/http-response';
import { Invoker } from '../../host/invoker';

// @azure/functions asks the worker for '@azure/functions-core' on import; here, as in the host, the
// registry answers it (jest has its own module loader, so installCoreApi's hook does not reach it).
const mockRegistry = new FunctionRegistry(() => undefined);
jest.mock('@azure/functions-core', () => mockRegistry.coreApi(), { virtual: true });

type Functions = typeof import('@azure/functions');
let azure: Functions;
/** What the next call of the `hooked` function answers. */
let hookedAnswer: () => import('@azure/functions').HttpResponseInit = () => ({});

beforeAll(() => {
  azure = jest.requireActual<Functions>('@azure/functions');
  azure.app.http('answer', { methods: ['GET'], authLevel: 'anonymous', handler: () => ({}) });
  azure.app.http('hooked', { methods: ['GET'], authLevel: 'anonymous', handler: () => hookedAnswer() });
});

/** What the library's own getResponse makes of a handler's result (the host's path before). */
async function viaLibrary(result: unknown): Promise<RpcTypedData | null | undefined> {
  const fn = mockRegistry.functions.get('answer')!;
  const coreCtx: CoreInvocationContext = {
    invocationId: 'i-1',
    request: {
      invocationId: 'i-1',
      functionId: fn.name,
      inputData: [
        {
          name: fn.triggerName,
          data: {
            http: { method: 'GET', url: 'http://localhost/api/answer', headers: {}, query: {}, params: {} },
          },
        },
      ],
      triggerMetadata: {},
      retryContext: null,
      traceContext: null,
    },
    metadata: fn.metadata,
    log: () => undefined,
  };
  const model = mockRegistry.programmingModel.getInvocationModel(coreCtx);
  const { context } = await model.getArguments();
  return (await model.getResponse(context, result)).returnValue;
}

/** Status, headers (names in order) and body bytes: what the host writes of an RPC http response. */
function written(value: RpcTypedData | null | undefined) {
  if (!value?.http) return value;
  const http: RpcHttpData = value.http;
  const bytes = http.body?.bytes;
  return {
    status: http.statusCode,
    headers: Object.entries(http.headers ?? {}),
    cookies: http.cookies,
    enableContentNegotiation: http.enableContentNegotiation,
    body: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : bytes,
  };
}

/** Runs `result` both ways; returns whether the direct path took it. */
async function expectSameAnswer(result: unknown): Promise<boolean> {
  let library: unknown;
  let libraryError: unknown;
  try {
    library = written(await viaLibrary(result));
  } catch (err) {
    libraryError = err;
  }
  const direct = directHttpResult(result);
  if (!direct) return false;
  expect(libraryError).toBeUndefined();
  expect(written(direct.value)).toEqual(library);
  return true;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('a plain HttpResponseInit converted without the library', () => {
  const direct: [string, unknown][] = [
    ['an empty init', {}],
    ['no result', undefined],
    ['null', null],
    ['a status only', { status: 202 }],
    ['a string body', { status: 201, body: 'héllo \u{1F600}' }],
    ['an empty string body', { body: '' }],
    ['a lone surrogate in a string body', { body: 'a\uD800b' }],
    ['a string body with its own type', { body: '<p/>', headers: { 'Content-Type': 'text/html' } }],
    ['a jsonBody', { status: 202, jsonBody: { id: 'o-1', n: [1, 2], ok: true } }],
    [
      'a jsonBody with a problem type',
      { status: 400, jsonBody: { title: 'x' }, headers: { 'content-type': 'application/problem+json' } },
    ],
    ['a jsonBody string', { jsonBody: 'text' }],
    ['a jsonBody that is a function', { jsonBody: () => 1 }],
    ['jsonBody over body', { jsonBody: [1], body: 'ignored' }],
    ['a null jsonBody falls to body', { jsonBody: null, body: 'b' }],
    ['a Buffer body', { body: Buffer.from([0, 1, 2, 255]) }],
    ['a Uint8Array view body', { body: new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4) }],
    ['an ArrayBuffer body', { body: new Uint16Array([1, 515]).buffer }],
    ['a DataView body', { body: new DataView(new Uint8Array([4, 5, 6]).buffer, 1) }],
    ['a 204 with a body', { status: 204, body: 'dropped', jsonBody: { a: 1 } }],
    ['a 304 with a jsonBody', { status: 304, jsonBody: { a: 1 } }],
    ['a 205', { status: 205 }],
    ['headers as an object', { headers: { Location: '/x', 'X-A': ' padded\t', ETag: '"1"' } }],
    ['repeated names in an object', { headers: { 'X-A': '1', 'x-a': '2' } }],
    [
      'headers as pairs',
      {
        headers: [
          ['X-B', '1'],
          ['x-b', '2'],
          ['Vary', 'accept'],
        ],
      },
    ],
    [
      'Set-Cookie as pairs',
      {
        headers: [
          ['Set-Cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ],
      },
    ],
    [
      'headers as Headers',
      {
        headers: new Headers([
          ['X-C', '1'],
          ['x-c', '2'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
        ]),
      },
    ],
    [
      'Headers with a jsonBody',
      { jsonBody: {}, headers: new Headers({ 'Content-Type': 'application/x+json' }) },
    ],
    ['enableContentNegotiation', { enableContentNegotiation: true, body: 'x' }],
    ['empty cookies', { cookies: [], body: 'x' }],
    ['an undefined status', { status: undefined, body: 'x' }],
    ['latin-1 header value', { headers: { 'x-l': 'caf\u00e9' } }],
  ];

  it.each(direct)('%s: the same answer as the library, without it', async (_name, result) => {
    await expect(expectSameAnswer(result)).resolves.toBe(true);
  });

  const library: [string, unknown][] = [
    ['an HttpResponse', 'response'],
    ['cookies', { cookies: [{ name: 'a', value: '1', httpOnly: true }] }],
    ['a status out of range', { status: 99 }],
    ['a status as a string', { status: '201' }],
    ['a null status (the library throws)', { status: null }],
    ['a stream body', { body: new ReadableStream() }],
    ['a URLSearchParams body', { body: new URLSearchParams('a=1') }],
    ['a header value with a newline', { headers: { 'x-a': 'a\nb' } }],
    ['a header name that is not a token', { headers: { 'x a': '1' } }],
    ['a header value above latin-1', { headers: { 'x-a': '\u20ac' } }],
    ['a number header value', { headers: { 'x-a': 1 } }],
    ['a class instance', new (class Answer {})()],
    ['a string', 'text'],
  ];

  it.each(library)('%s: left to the library', (_name, result) => {
    const value = result === 'response' ? new azure.HttpResponse({ body: 'x' }) : result;
    expect(directHttpResult(value)).toBeUndefined();
  });

  it('gives the library answer for generated inits', async () => {
    const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/);
    const headerValue = fc.oneof(
      fc.stringMatching(/^[ \t]?[\x21-\x7e]{0,10}[ \t]?$/),
      fc.string({ maxLength: 6 })
    );
    const headers = fc.oneof(
      fc.constant(undefined),
      fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
      fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 })
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
      fc.uint8Array({ maxLength: 16 }).map((a) => a.buffer)
    );
    const init = fc.record(
      {
        status: fc.oneof(
          fc.constantFrom(200, 201, 202, 204, 304, 400, 404, 500, 599),
          fc.integer({ min: 100, max: 700 })
        ),
        headers,
        body,
        jsonBody: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })),
        enableContentNegotiation: fc.boolean(),
      },
      { requiredKeys: [] }
    );
    let tookDirect = 0;
    await fc.assert(
      fc.asyncProperty(init, async (value) => {
        if (await expectSameAnswer(value)) tookDirect++;
      }),
      { numRuns: 400 }
    );
    // The generator must reach the direct path, or the property says nothing about it.
    expect(tookDirect).toBeGreaterThan(200);
  });

  it('can tell a different answer apart', async () => {
    // A sanity check of the comparison itself: a wrong default content type is caught.
    const library = written(await viaLibrary({ body: 'x' }));
    const wrong = directHttpResult({ body: 'x' })!.value!;
    wrong.http!.headers!['content-type'] = 'text/plain';
    expect(written(wrong)).not.toEqual(library);
    expect(written(directHttpResult({ body: bytes('x') })!.value)).not.toEqual(library);
  });
});

describe('invocation hooks around a direct answer', () => {
  it('see the HttpRequest and the plain result, and a result a postInvocation hook sets is the answer', async () => {
    const seen: string[] = [];
    const pre = azure.app.hook.preInvocation((hook) => {
      const [request] = hook.inputs as [InstanceType<Functions['HttpRequest']>];
      seen.push(
        `pre ${hook.invocationContext.functionName} ${request instanceof azure.HttpRequest} ${request.url}`
      );
    });
    const post = azure.app.hook.postInvocation((hook) => {
      seen.push(`post ${JSON.stringify(hook.result)}`);
      if ((hook.result as { status?: number }).status === 418)
        hook.result = new azure.HttpResponse({ status: 200, body: 'replaced' });
    });
    try {
      const invoker = new Invoker(mockRegistry, { log: () => undefined });
      const fn = mockRegistry.functions.get('hooked')!;
      const request = {
        http: { method: 'GET', url: 'http://localhost/api/hooked', headers: {}, query: {}, params: {} },
      };

      hookedAnswer = () => ({ status: 202, jsonBody: { ok: true } });
      const plain = await invoker.invoke(fn, { data: request });
      expect(written(plain.returnValue)).toEqual(
        written(await viaLibrary({ status: 202, jsonBody: { ok: true } }))
      );

      hookedAnswer = () => ({ status: 418 });
      const replaced = await invoker.invoke(fn, { data: request });
      expect(written(replaced.returnValue)).toMatchObject({
        status: '200',
        body: Buffer.from('replaced').toString('hex'),
      });
      expect(seen).toEqual([
        'pre hooked true http://localhost/api/hooked',
        'post {"status":202,"jsonBody":{"ok":true}}',
        'pre hooked true http://localhost/api/hooked',
        'post {"status":418}',
      ]);
    } finally {
      pre.dispose();
      post.dispose();
    }
  });
});
