import { ProviderCallError } from '../../domain/providers/provider-call-error';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import type { ProviderHttp } from '../../ports/provider-plugins';

/** Where and as whom an OAuth2 client-credentials token is asked for. */
export interface ClientCredentials {
  /** The instance the token is for: tokens are never shared between instances. */
  instanceId: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as `scope` when given (Entra: `{resource}/.default`). */
  scope?: string;
}

interface CachedToken {
  token: Promise<string>;
  /** Epoch ms after which the token is asked for again. */
  renewAt: number;
}

/** A token is renewed this long before the provider says it expires (clock skew, slow calls). */
const renewMarginMs = 60_000;
/** When the answer has no `expires_in`: the shortest lifetime providers commonly give. */
const defaultLifetimeSeconds = 300;

/**
 * OAuth2 client-credentials tokens (RFC 6749 §4.4), cached per instance, token URL, client and scope
 * until `expires_in` minus a minute; concurrent calls share one token request. Providers limit token
 * requests (Uber: 100 an hour), so a token is asked for only when none is valid, and after a 401,
 * which means the provider no longer takes the one held.
 */
export class ClientCredentialsTokens {
  readonly #cache = new Map<string, CachedToken>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A valid access token, from the cache or a new token request. */
  async token(credentials: ClientCredentials, http: ProviderHttp): Promise<string> {
    const key = cacheKey(credentials);
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.renewAt > this.#now()) return cached.token;
    const entry: CachedToken = { token: Promise.resolve(''), renewAt: Number.POSITIVE_INFINITY };
    entry.token = this.#request(credentials, http).then(
      ({ token, lifetimeSeconds }) => {
        entry.renewAt = this.#now() + Math.max(0, lifetimeSeconds * 1000 - renewMarginMs);
        return token;
      },
      (err: unknown) => {
        if (this.#cache.get(key) === entry) this.#cache.delete(key);
        throw err;
      }
    );
    this.#cache.set(key, entry);
    return entry.token;
  }

  /** Drops the cached token (the provider refused it). */
  forget(credentials: ClientCredentials): void {
    this.#cache.delete(cacheKey(credentials));
  }

  /**
   * Runs `call` with a token; a 401 answer drops the token and runs it once more with a new one
   * (a token revoked or expired early), a second 401 is the provider's final word.
   */
  async authorized<T>(
    credentials: ClientCredentials,
    http: ProviderHttp,
    call: (token: string) => Promise<T>
  ): Promise<T> {
    try {
      return await call(await this.token(credentials, http));
    } catch (err) {
      if (!(err instanceof ProviderCallError) || err.status !== 401) throw err;
      this.forget(credentials);
      return call(await this.token(credentials, http));
    }
  }

  async #request(
    credentials: ClientCredentials,
    http: ProviderHttp
  ): Promise<{ token: string; lifetimeSeconds: number }> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    if (credentials.scope !== undefined && credentials.scope !== '') form.set('scope', credentials.scope);
    const response = await http.request({
      method: 'POST',
      url: credentials.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    let answer: { access_token?: unknown; expires_in?: unknown };
    try {
      answer = parseJsonLossless(response.text) as typeof answer;
    } catch {
      throw new ProviderCallError('The token endpoint did not answer JSON.', response.status);
    }
    if (typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw new ProviderCallError('The token endpoint answered without an access_token.', response.status);
    }
    // Entra's v1 endpoint sends expires_in as text.
    const lifetime = Number(answer.expires_in);
    return {
      token: answer.access_token,
      lifetimeSeconds: Number.isFinite(lifetime) && lifetime > 0 ? lifetime : defaultLifetimeSeconds,
    };
  }
}

function cacheKey(credentials: ClientCredentials): string {
  return JSON.stringify([
    credentials.instanceId,
    credentials.tokenUrl,
    credentials.clientId,
    credentials.scope ?? '',
  ]);
}
