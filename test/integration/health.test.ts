import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { health } from '../../functions/health';
import { getCosmosDatabase } from '../../shared/app/platform/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';

/** GET /api/health against the Azurite + embedded Cosmos started by the Jest global setup. */

const request = (): HttpRequest => new HttpRequest({ method: 'GET', url: 'http://127.0.0.1/api/health' });

function context(): { ctx: InvocationContext; logged: string[] } {
  const logged: string[] = [];
  const log = (...args: unknown[]): void => void logged.push(args.map(String).join(' '));
  const ctx = new InvocationContext({
    functionName: 'health',
    logHandler: (_level, ...args) => log(...args),
  });
  return { ctx, logged };
}

/** A loopback port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('GET /api/health', () => {
  const saved = { ...process.env };

  function rewire(env: Record<string, string | undefined>): void {
    process.env = { ...saved, ...env };
    resetConfigForTests();
    resetRegistry();
  }

  afterEach(() => rewire({}));
  afterAll(() => {
    process.env = saved;
    resetConfigForTests();
    resetRegistry();
  });

  it('answers 200 {status:"ok"} when storage and Cosmos answer', async () => {
    rewire({ COSMOS_DATABASE: `it-health-${randomUUID()}` });
    const { ctx } = context();
    const res = await health(request(), ctx);
    expect(res.status).toBe(200);
    expect(res.jsonBody).toEqual({ status: 'ok' });
    await (await getCosmosDatabase()).delete();
  });

  it('answers 503 problem+json naming what is down, and keeps the reasons in the log', async () => {
    const port = await closedPort();
    rewire({
      COSMOS_DATABASE: `it-health-${randomUUID()}`,
      COSMOS_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    const { ctx, logged } = context();
    const res = await health(request(), ctx);
    expect(res.status).toBe(503);
    expect((res.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
    expect(res.jsonBody).toMatchObject({
      type: 'https://openiom.dev/problems/service-unavailable',
      status: 503,
      detail: 'Not answering: cosmos.',
      checks: [
        { name: 'storage-blob', ok: true },
        { name: 'storage-queue', ok: true },
        { name: 'storage-table', ok: true },
        { name: 'cosmos', ok: false },
      ],
    });
    // The reason is logged, not returned to an anonymous caller.
    expect(JSON.stringify(res.jsonBody)).not.toContain(String(port));
    expect(logged.some((line) => line.includes('cosmos failed'))).toBe(true);
  });

  it('answers 503 when the configuration is unusable', async () => {
    rewire({ COSMOS_ENDPOINT: undefined });
    const { ctx, logged } = context();
    const res = await health(request(), ctx);
    expect(res.status).toBe(503);
    expect(res.jsonBody).toMatchObject({ checks: [{ name: 'config', ok: false }] });
    expect(logged.join('\n')).toContain('COSMOS_ENDPOINT');
  });
});
