import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { ProviderConnection, ProviderHttp, ProviderResponse } from '../../ports/provider-plugins';
import { firstText, inProviderWords, isRecord } from '../common/provider-refusal';
import { ClientCredentialsTokens, type ClientCredentials } from '../common/oauth-token';

/** Tokens of every F&O instance (Entra access tokens last about an hour). */
const tokens = new ClientCredentialsTokens();

/** The environment URL without a trailing slash, e.g. `https://contoso.operations.dynamics.com`. */
export function environmentUrl(connection: ProviderConnection): string {
  return String(connection.parameters.environmentUrl ?? '').replace(/\/+$/, '');
}

export function dataAreaId(connection: ProviderConnection): string {
  return String(connection.parameters.dataAreaId ?? '');
}

/**
 * Entra ID client credentials for the environment: the tenant's v2.0 token endpoint (or the
 * `tokenUrl` parameter, which points elsewhere only for tests and sovereign clouds) and the scope
 * `{environmentUrl}/.default`.
 */
function credentials(connection: ProviderConnection): ClientCredentials {
  const { clientId, clientSecret } = connection.secrets;
  if (!clientId || !clientSecret) {
    throw new ProviderCallError(
      `The secrets clientId and clientSecret of instance ${connection.instanceId} must both be set.`,
      undefined
    );
  }
  const override = connection.parameters.tokenUrl;
  const tenant = encodeURIComponent(String(connection.parameters.tenantId ?? ''));
  return {
    tokenUrl:
      override === undefined || override === ''
        ? `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`
        : String(override),
    clientId,
    clientSecret,
    scope: `${environmentUrl(connection)}/.default`,
  };
}

/** An OData string literal: quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * One OData call with the environment's bearer token (a 401 gets one new token). `pathAndQuery`
 * is relative to the environment (`/data/...`) or a full `@odata.nextLink`. 429 with Retry-After
 * is waited out by the HTTP client; a final refusal carries F&O's `error.message`.
 */
export async function odata(
  connection: ProviderConnection,
  http: ProviderHttp,
  now: Date,
  request: { method?: 'GET' | 'POST'; pathAndQuery: string; body?: unknown; headers?: Record<string, string> }
): Promise<ProviderResponse> {
  const url = /^https?:\/\//.test(request.pathAndQuery)
    ? request.pathAndQuery
    : `${environmentUrl(connection)}${request.pathAndQuery}`;
  // Only OData's answers are put in its words; a refused token request keeps its own message.
  return tokens.withToken(connection.instanceId, credentials(connection), http, now, (token) =>
    inProviderWords(
      http.request({
        method: request.method ?? 'GET',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          'OData-Version': '4.0',
          'OData-MaxVersion': '4.0',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      }),
      odataErrorMessage
    )
  );
}

/** OData's error body: `{"error": {"code", "message", "innererror"}}`. */
function odataErrorMessage(body: unknown): string | undefined {
  return isRecord(body) && isRecord(body.error) ? firstText(body.error.message) : undefined;
}

/** Query text with OData's `$` names kept readable (URLSearchParams would encode them). */
export function odataQuery(parameters: Record<string, string>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}
