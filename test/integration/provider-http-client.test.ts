import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';

// The provider HTTP client against a real local server that answers from a script.
let server: Server;
let url: string;
let script: { status: number; headers?: Record<string, string>; delayMs?: number }[] = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const step = script[Math.min(hits, script.length - 1)] ?? { status: 200 };
    hits += 1;
    setTimeout(() => {
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(JSON.stringify({ hit: hits }));
    }, step.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders.json?secret=not-in-errors`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  hits = 0;
});

function client(waits: number[], options: ConstructorParameters<typeof ProviderHttpClient>[0] = {}) {
  return new ProviderHttpClient({
    baseDelayMs: 1,
    ...options,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
}

it('waits what Retry-After says on 429 (decimal seconds), then succeeds', async () => {
  script = [{ status: 429, headers: { 'retry-after': '2.0' } }, { status: 200 }];
  const waits: number[] = [];
  const response = await client(waits).request({ url });
  expect(response.status).toBe(200);
  expect(waits).toEqual([2000]);
  expect(hits).toBe(2);
});

it("uses the provider's own signal when it gives one", async () => {
  script = [{ status: 429, headers: { 'x-rate-limit-time-reset-ms': '750' } }, { status: 200 }];
  const waits: number[] = [];
  await client(waits).request({ url }, (response) =>
    Number(response.headers.get('x-rate-limit-time-reset-ms'))
  );
  expect(waits).toEqual([750]);
});

it('backs off on 5xx and gives up after the last attempt with the status', async () => {
  script = [{ status: 503 }];
  const waits: number[] = [];
  const failure = await client(waits, { maxAttempts: 3 })
    .request({ url })
    .catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(ProviderCallError);
  expect(failure).toMatchObject({ status: 503, permanent: false });
  expect((failure as Error).message).not.toContain('secret');
  expect(hits).toBe(3);
  expect(waits).toHaveLength(2);
});

it('does not retry a 4xx that asking again will not fix', async () => {
  script = [{ status: 401 }];
  const failure = await client([])
    .request({ url })
    .catch((err: unknown) => err);
  expect(failure).toMatchObject({ status: 401, permanent: true });
  expect(hits).toBe(1);
});

it('times out a slow answer and tries again', async () => {
  script = [{ status: 200, delayMs: 500 }, { status: 200 }];
  const waits: number[] = [];
  const response = await client(waits, { timeoutMs: 100 }).request({ url });
  expect(response.status).toBe(200);
  expect(hits).toBe(2);
});
