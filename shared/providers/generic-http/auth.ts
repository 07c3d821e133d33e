import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { ProviderConnection, ProviderHttp } from '../../ports/provider-plugins';
import type { ClientCredentials, ClientCredentialsTokens } from '../common/oauth-token';

export const authSchemes = ['none', 'basic', 'bearer', 'apiKeyHeader', 'oauthClientCredentials'] as const;
export type AuthScheme = (typeof authSchemes)[number];

/** The secret each scheme needs (names of the instance's secrets). */
const schemeSecrets: Record<AuthScheme, readonly string[]> = {
  none: [],
  basic: ['username', 'password'],
  bearer: ['token'],
  apiKeyHeader: ['apiKey'],
  oauthClientCredentials: ['clientId', 'clientSecret'],
};

function secret(connection: ProviderConnection, name: string, scheme: AuthScheme): string {
  const value = connection.secrets[name];
  if (value === undefined || value === '') {
    throw new ProviderCallError(
      `The secret ${name} of instance ${connection.instanceId} is not set (authScheme ${scheme}).`,
      undefined
    );
  }
  return value;
}

function oauthCredentials(connection: ProviderConnection): ClientCredentials {
  const scope = connection.parameters.scope;
  return {
    tokenUrl: String(connection.parameters.tokenUrl ?? ''),
    clientId: secret(connection, 'clientId', 'oauthClientCredentials'),
    clientSecret: secret(connection, 'clientSecret', 'oauthClientCredentials'),
    ...(scope === undefined || scope === '' ? {} : { scope: String(scope) }),
  };
}

/**
 * Runs `send` with the headers the instance's auth scheme calls for. With OAuth client credentials
 * the token comes from the shared cache and a 401 is tried once more with a new token.
 */
export async function withAuth<T>(
  connection: ProviderConnection,
  http: ProviderHttp,
  tokens: ClientCredentialsTokens,
  now: Date,
  send: (headers: Record<string, string>) => Promise<T>
): Promise<T> {
  const scheme = String(connection.parameters.authScheme ?? 'none') as AuthScheme;
  for (const name of schemeSecrets[scheme] ?? []) secret(connection, name, scheme);
  switch (scheme) {
    case 'basic': {
      const pair = `${connection.secrets.username}:${connection.secrets.password}`;
      return send({ authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` });
    }
    case 'bearer':
      return send({ authorization: `Bearer ${connection.secrets.token}` });
    case 'apiKeyHeader':
      return send({
        [String(connection.parameters.apiKeyHeader ?? 'X-API-Key')]: connection.secrets.apiKey!,
      });
    case 'oauthClientCredentials':
      return tokens.withToken(connection.instanceId, oauthCredentials(connection), http, now, (token) =>
        send({ authorization: `Bearer ${token}` })
      );
    default:
      return send({});
  }
}
