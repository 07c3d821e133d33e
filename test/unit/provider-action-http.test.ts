import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ProviderCircuits, recordingHttp } from '../../shared/app/provider-actions/outbound-http';
import {
  afterCall,
  circuitFailureLimit,
  circuitOpenMs,
  closedCircuit,
} from '../../shared/domain/providers/circuit';
import { redactSecrets } from '../../shared/domain/providers/outbound-exchange';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import { startAvalaraServer, type AvalaraServer } from '../support/provider-servers/avalara-server';
import { jsonReply, serveLocally, type LocalServer } from '../support/provider-servers/request-log';

class StepClock {
  constructor(public ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
}

describe('the per-instance circuit', () => {
  let server: AvalaraServer;
  beforeEach(async () => {
    server = await startAvalaraServer();
  });
  afterEach(() => server.close());

  const ping = (http: { request: ProviderHttpClient['request'] }) =>
    http.request({
      url: `${server.url}/api/v2/utilities/ping`,
      headers: {
        Authorization: `Basic ${Buffer.from(`${server.accountId}:${server.licenseKey}`).toString('base64')}`,
      },
    });

  it('opens after 5 failed calls in a row, answers at once while open, lets one trial through after 30 s', async () => {
    const clock = new StepClock();
    const circuits = new ProviderCircuits(clock);
    const client = new ProviderHttpClient({ maxAttempts: 1, sleep: () => Promise.resolve() });
    const tax = circuits.guard('tax', client);
    const other = circuits.guard('other', client);
    server.faults.failNext(circuitFailureLimit);
    for (let i = 0; i < circuitFailureLimit; i++)
      await expect(ping(tax)).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(circuitFailureLimit);

    const opensAgain = new Date(clock.ms + circuitOpenMs).toISOString();
    await expect(ping(tax)).rejects.toThrow(`circuit open for instance tax until ${opensAgain}`);
    expect(server.requests).toHaveLength(circuitFailureLimit); // refused without calling
    await expect(ping(other)).resolves.toMatchObject({ status: 200 }); // circuits are per instance

    clock.ms += circuitOpenMs;
    await expect(ping(tax)).resolves.toMatchObject({ status: 200 });
    expect(circuits.state('tax')).toEqual(closedCircuit);
  });

  it('a refusal (4xx) neither opens nor resets it; a failed trial reopens it', () => {
    let state = closedCircuit;
    for (let i = 0; i < circuitFailureLimit - 1; i++) state = afterCall(state, 'failed', 0);
    state = afterCall(state, 'refused-by-provider', 0);
    expect(state).toEqual({ failures: circuitFailureLimit - 1 });
    state = afterCall(state, 'failed', 1000);
    expect(state).toEqual({ failures: circuitFailureLimit, openUntil: 1000 + circuitOpenMs });
    expect(afterCall(state, 'failed', 1000 + circuitOpenMs)).toEqual({
      failures: circuitFailureLimit + 1,
      openUntil: 1000 + 2 * circuitOpenMs,
    });
  });
});

describe('the exchange recorder', () => {
  let echo: LocalServer;
  beforeEach(async () => {
    // Answers with what it was sent, the way some APIs echo credentials back in an error.
    echo = await serveLocally((request) =>
      jsonReply(request.url.searchParams.has('fail') ? 400 : 200, {
        got: request.body,
        auth: request.headers.authorization ?? null,
        url: request.url.toString(),
      })
    );
  });
  afterEach(() => echo.close());

  const secrets = { licenseKey: 'L1c3nse/Key+42', apiKey: 'k"quoted"' };
  const connection = { instanceId: 'i', parameters: {}, secrets };

  it('keeps method, URL, status and body excerpts with every form of a secret masked, and no header', async () => {
    const { http, exchanges } = recordingHttp(new ProviderHttpClient({ maxAttempts: 1 }), connection);
    await http.request({
      method: 'POST',
      url: `${echo.url}/v1/things?key=${encodeURIComponent(secrets.licenseKey)}`,
      headers: { Authorization: `Bearer ${secrets.licenseKey}` },
      body: JSON.stringify({ licenseKey: secrets.licenseKey, apiKey: secrets.apiKey }),
    });
    await expect(
      http.request({ method: 'POST', url: `${echo.url}/v1/things?fail=1`, body: `raw ${secrets.apiKey}` })
    ).rejects.toBeInstanceOf(ProviderCallError);
    expect(exchanges).toHaveLength(2);
    expect(exchanges[0]).toMatchObject({ method: 'POST', url: `${echo.url}/v1/things?key=***`, status: 200 });
    expect(exchanges[0]!.request).toBe('{"licenseKey":"***","apiKey":"***"}');
    expect(exchanges[1]).toMatchObject({ status: 400, request: 'raw ***' });
    // The echo's answer carries the request body as a JSON string: the secret twice escaped is masked too.
    expect(exchanges[0]!.answer).toContain('"auth":"Bearer ***"');
    for (const exchange of exchanges) {
      expect(Object.keys(exchange).sort()).toEqual(['answer', 'method', 'request', 'status', 'url']);
      for (const field of Object.values(exchange)) {
        for (const value of Object.values(secrets)) {
          expect(String(field)).not.toContain(value);
          expect(String(field)).not.toContain(encodeURIComponent(value));
          expect(String(field)).not.toContain('quoted');
        }
      }
    }
  });

  it('masks the longest secret first, so one containing another is masked whole', () => {
    expect(redactSecrets('abc-123 and abc', ['abc', 'abc-123'])).toBe('*** and ***');
    expect(redactSecrets('nothing here', ['', 'zz'])).toBe('nothing here');
  });
});
