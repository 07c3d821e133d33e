import { ProviderCallError } from '../../domain/providers/provider-call-error';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import type { ProviderHttp, RetryDelay } from '../../ports/provider-plugins';
import { scalarText } from './provider-refusal';

/** What an OAuth2 client-credentials grant needs (RFC 6749 §4.4). */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent when set (generic OAuth2, Entra ID v2 `{resource}/.default`). */
  scope?: string;
  /** Sent when set (Entra ID v1 endpoints name the API as `resource`). */
  resource?: string;
}

export interface AccessToken {
  token: string;
  /** When the cached token stops being used: `expires_in` less the safety margin. */
  renewAt: number;
}

/** A token is dropped this long before the provider says it expires, so no call carries a dying one. */
export const tokenRenewalMarginMs = 60_000;
/** A token answer without `expires_in` (the RFC makes it optional) is kept this long. */
const defaultLifetimeMs = 5 * 60_000;

/** The form-encoded body of the token request. */
export function tokenRequestBody(credentials: ClientCredentials): string {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  if (credentials.scope) form.set('scope', credentials.scope);
  if (credentials.resource) form.set('resource', credentials.resource);
  return form.toString();
}

/**
 * The token of a token endpoint's answer and when to stop using it. `expires_in` arrives as a number
 * (FedEx) or as text (Entra ID v1 endpoints).
 */
export function accessTokenOf(text: string, now: Date): AccessToken {
  let body: { access_token?: unknown; expires_in?: unknown } | undefined;
  try {
    body = parseJsonLossless(text) as typeof body;
  } catch {
    body = undefined;
  }
  const token = body?.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new ProviderCallError('The token endpoint answered without an access_token.', 200);
  }
  const seconds = Number(scalarText(body?.expires_in, 'NaN'));
  const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultLifetimeMs;
  return { token, renewAt: now.getTime() + Math.max(0, lifetimeMs - tokenRenewalMarginMs) };
}

/**
 * The one line a refused token request is reported with: the OAuth error (`error`,
 * `error_description`, RFC 6749 §5.2) or FedEx's `errors[0]`; the request's secrets are never in it.
 */
export function tokenRefusal(error: ProviderCallError): ProviderCallError {
  let body: Record<string, unknown> | undefined;
  try {
    body = parseJsonLossless(error.body ?? '') as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const first = Array.isArray(body?.errors) ? (body.errors[0] as Record<string, unknown>) : undefined;
  const said = [body?.error, body?.error_description, first?.code, first?.message]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(': ');
  const message = `The token request was refused (${error.status ?? 'no answer'})${said ? `: ${said}` : '.'}`;
  return new ProviderCallError(message, error.status, error.body);
}

/**
 * OAuth2 client-credentials tokens for provider calls (FedEx, F&O, generic HTTP). Each token is kept
 * per instance, token URL, client and scope until `expires_in` less a minute; concurrent callers
 * share one token request; a call answered 401 drops the token and is made once more with a new one
 * (the provider may revoke a token before its time). Secrets stay in the request body, never in a
 * message.
 */
export class ClientCredentialsTokens {
  readonly #cached = new Map<string, AccessToken>();
  readonly #inFlight = new Map<string, Promise<AccessToken>>();

  /** A token valid at `now`: the cached one, the one being fetched, or a new one. */
  async token(
    instanceId: string,
    credentials: ClientCredentials,
    http: ProviderHttp,
    now: Date,
    retryDelay?: RetryDelay
  ): Promise<string> {
    const key = cacheKey(instanceId, credentials);
    const cached = this.#cached.get(key);
    if (cached !== undefined && cached.renewAt > now.getTime()) return cached.token;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#fetch(credentials, http, now, retryDelay)
        .then((fetched) => {
          this.#cached.set(key, fetched);
          return fetched;
        })
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return (await pending).token;
  }

  /**
   * Runs `call` with a token; when it fails with 401, the token is dropped (unless another caller has
   * already replaced it) and `call` runs once more with a new one.
   */
  async withToken<T>(
    instanceId: string,
    credentials: ClientCredentials,
    http: ProviderHttp,
    now: Date,
    call: (token: string) => Promise<T>,
    retryDelay?: RetryDelay
  ): Promise<T> {
    const token = await this.token(instanceId, credentials, http, now, retryDelay);
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof ProviderCallError) || err.status !== 401) throw err;
      this.forget(instanceId, credentials, token);
      return call(await this.token(instanceId, credentials, http, now, retryDelay));
    }
  }

  /** Drops `token` from the cache (a newer token fetched meanwhile is kept). */
  forget(instanceId: string, credentials: ClientCredentials, token: string): void {
    const key = cacheKey(instanceId, credentials);
    if (this.#cached.get(key)?.token === token) this.#cached.delete(key);
  }

  async #fetch(
    credentials: ClientCredentials,
    http: ProviderHttp,
    now: Date,
    retryDelay?: RetryDelay
  ): Promise<AccessToken> {
    try {
      const response = await http.request(
        {
          method: 'POST',
          url: credentials.tokenUrl,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: tokenRequestBody(credentials),
          carriesCredentials: true,
        },
        retryDelay
      );
      return accessTokenOf(response.text, now);
    } catch (err) {
      throw err instanceof ProviderCallError && err.status !== undefined && err.status !== 200
        ? tokenRefusal(err)
        : err;
    }
  }
}

function cacheKey(instanceId: string, credentials: ClientCredentials): string {
  return JSON.stringify([
    instanceId,
    credentials.tokenUrl,
    credentials.clientId,
    credentials.scope ?? '',
    credentials.resource ?? '',
  ]);
}
