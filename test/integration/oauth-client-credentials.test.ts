/**
 * OAuth2 client-credentials tokens against the local FedEx token endpoint, through the real provider
 * HTTP client: one token request for many concurrent calls, renewal a minute before `expires_in`,
 * one renewal and one retry after a 401, and refusals that say what the endpoint said.
 */
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { recordingHttp } from '../../shared/app/provider-actions/outbound-http';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import {
  accessTokenOf,
  ClientCredentialsTokens,
  tokenRequestBody,
  type ClientCredentials,
} from '../../shared/providers/common/oauth-token';
import { startFedExServer, type FedExServer } from '../support/provider-servers/fedex-server';

const http = new ProviderHttpClient({ baseDelayMs: 1, sleep: () => Promise.resolve() });
const t0 = new Date('2026-12-02T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

let fedex: FedExServer;
let credentials: ClientCredentials;

beforeAll(async () => {
  fedex = await startFedExServer({ tokenSeconds: 3599 });
  credentials = {
    tokenUrl: `${fedex.url}/oauth/token`,
    clientId: fedex.clientId,
    clientSecret: fedex.clientSecret,
  };
});
afterAll(() => fedex.close());

const tokenCalls = () => fedex.requests.filter((r) => r.path === '/oauth/token').length;

/** A Track call with the token: 200 while FedEx takes it, 401 once it does not. */
function track(token: string) {
  return http.request({
    method: 'POST',
    url: `${fedex.url}/track/v1/trackingnumbers`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ trackingInfo: [{ trackingNumberInfo: { trackingNumber: '1' } }] }),
  });
}

describe('token request and answer', () => {
  it('is form-encoded with the grant, the client and, when set, scope and resource', () => {
    expect(
      Object.fromEntries(new URLSearchParams(tokenRequestBody({ ...credentials, clientSecret: 'a&b=c' })))
    ).toEqual({ grant_type: 'client_credentials', client_id: fedex.clientId, client_secret: 'a&b=c' });
    expect(
      new URLSearchParams(
        tokenRequestBody({
          ...credentials,
          scope: 'https://erp.example/.default',
          resource: 'https://erp.example',
        })
      ).get('scope')
    ).toBe('https://erp.example/.default');
  });

  it('is used until a minute before it expires; expires_in may be text', () => {
    expect(accessTokenOf('{"access_token":"a","expires_in":3600}', t0).renewAt).toBe(at(3540).getTime());
    expect(accessTokenOf('{"access_token":"a","expires_in":"3599"}', t0).renewAt).toBe(at(3539).getTime());
    expect(() => accessTokenOf('{"token_type":"bearer"}', t0)).toThrow(ProviderCallError);
  });
});

describe('ClientCredentialsTokens', () => {
  it('fetches one token for many concurrent calls and keeps it until expires_in - 60 s', async () => {
    const tokens = new ClientCredentialsTokens();
    const before = tokenCalls();
    const got = await Promise.all(
      Array.from({ length: 20 }, () => tokens.token('fx-1', credentials, http, t0))
    );
    expect(new Set(got).size).toBe(1);
    expect(tokenCalls() - before).toBe(1);
    const answers = await Promise.all(got.map((token) => track(token)));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    expect(await tokens.token('fx-1', credentials, http, at(3538))).toBe(got[0]);
    expect(tokenCalls() - before).toBe(1);
    const renewed = await tokens.token('fx-1', credentials, http, at(3539));
    expect(renewed).not.toBe(got[0]);
    expect(tokenCalls() - before).toBe(2);
    const body = Object.fromEntries(
      new URLSearchParams(fedex.requests.filter((r) => r.path === '/oauth/token').at(-1)!.body)
    );
    expect(body).toEqual({
      grant_type: 'client_credentials',
      client_id: fedex.clientId,
      client_secret: fedex.clientSecret,
    });
  });

  it('keeps tokens apart per instance and per scope', async () => {
    const tokens = new ClientCredentialsTokens();
    const before = tokenCalls();
    const a = await tokens.token('fx-a', credentials, http, t0);
    const b = await tokens.token('fx-b', credentials, http, t0);
    const scoped = await tokens.token('fx-a', { ...credentials, scope: 'other' }, http, t0);
    expect(new Set([a, b, scoped]).size).toBe(3);
    expect(tokenCalls() - before).toBe(3);
  });

  it('drops a token the provider refuses (401) and retries once with a new one, for all callers', async () => {
    const tokens = new ClientCredentialsTokens();
    const first = await tokens.token('fx-2', credentials, http, t0);
    fedex.revokeTokens();
    const before = tokenCalls();
    const seen: string[] = [];
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        tokens.withToken('fx-2', credentials, http, t0, (token) => {
          seen.push(token);
          return track(token);
        })
      )
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(tokenCalls() - before).toBe(1);
    const renewed = seen.filter((token) => token !== first);
    expect(new Set(renewed).size).toBe(1);
    expect(seen.filter((token) => token === first)).toHaveLength(5);
  });

  it('gives up after one renewal when the new token is refused too', async () => {
    const tokens = new ClientCredentialsTokens();
    let calls = 0;
    await expect(
      tokens.withToken('fx-3', credentials, http, t0, async (token) => {
        calls++;
        fedex.revokeTokens();
        return track(token);
      })
    ).rejects.toMatchObject({ status: 401 });
    expect(calls).toBe(2);
  });

  it("reports refused credentials with the endpoint's own message and no secret", async () => {
    const tokens = new ClientCredentialsTokens();
    const wrong = { ...credentials, clientSecret: 'not-the-secret' };
    const failure = await tokens.token('fx-4', wrong, http, t0).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProviderCallError);
    expect((failure as ProviderCallError).status).toBe(401);
    expect((failure as ProviderCallError).message).toContain('The given client credentials were not valid');
    expect((failure as ProviderCallError).message).not.toContain('not-the-secret');
    // A failed fetch is not cached: the next caller asks again.
    await expect(tokens.token('fx-4', credentials, http, t0)).resolves.toMatch(/^fedex-token-/);
  });
});

describe('recorded token exchanges', () => {
  it('keep neither the token request nor the token; a refusal keeps what the endpoint said', async () => {
    const tokens = new ClientCredentialsTokens();
    const connection = {
      instanceId: 'fx-rec',
      parameters: {},
      secrets: { clientId: fedex.clientId, clientSecret: fedex.clientSecret },
    };
    const recorder = recordingHttp(http, connection);
    const token = await tokens.token('fx-rec', credentials, recorder.http, t0);
    expect(recorder.exchanges).toEqual([{ method: 'POST', url: `${fedex.url}/oauth/token`, status: 200 }]);
    expect(JSON.stringify(recorder.exchanges)).not.toContain(token);

    const refused = recordingHttp(http, { ...connection, secrets: { clientSecret: 'not+the/secret!' } });
    await expect(
      tokens.token('fx-rec-2', { ...credentials, clientSecret: 'not+the/secret!' }, refused.http, t0)
    ).rejects.toMatchObject({ status: 401 });
    expect(refused.exchanges).toEqual([
      {
        method: 'POST',
        url: `${fedex.url}/oauth/token`,
        status: 401,
        answer: expect.stringContaining('NOT.AUTHORIZED.ERROR') as string,
      },
    ]);
    expect(JSON.stringify(refused.exchanges)).not.toMatch(/not.the.secret|not%2Bthe/);
  });
});
