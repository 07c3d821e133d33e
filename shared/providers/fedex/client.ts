import type { ProviderConnection, ProviderHttp } from '../../ports/provider-plugins';
import { ClientCredentialsTokens, type ClientCredentials } from '../common/oauth-token';
import { firstText, inProviderWords, jsonAnswer } from '../common/provider-refusal';
import { fedExSandboxUrl } from './definition';

/** FedEx errors: `{transactionId, errors: [{code, message}]}`; the first one is the step's message. */
export function fedExErrorMessage(body: unknown): string | undefined {
  const errors = (body as { errors?: unknown } | null)?.errors;
  const first = (Array.isArray(errors) ? errors[0] : undefined) as Record<string, unknown> | undefined;
  const message = firstText(first?.message);
  const code = firstText(first?.code);
  return message === undefined ? code : code === undefined ? message : `${message} (${code})`;
}

export function fedExBaseUrl(connection: ProviderConnection): string {
  return String(connection.parameters.baseUrl ?? fedExSandboxUrl).replace(/\/+$/, '');
}

export function fedExCredentials(connection: ProviderConnection): ClientCredentials {
  return {
    tokenUrl: `${fedExBaseUrl(connection)}/oauth/token`,
    clientId: connection.secrets.clientId ?? '',
    clientSecret: connection.secrets.clientSecret ?? '',
  };
}

/** One FedEx API call: a Bearer token of the instance (renewed once on 401), JSON both ways. */
export async function fedExCall(
  tokens: ClientCredentialsTokens,
  connection: ProviderConnection,
  http: ProviderHttp,
  now: Date,
  request: { path: string; body: unknown; transactionId?: string }
): Promise<unknown> {
  const response = await inProviderWords(
    tokens.withToken(connection.instanceId, fedExCredentials(connection), http, now, (token) =>
      http.request({
        method: 'POST',
        url: `${fedExBaseUrl(connection)}${request.path}`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-locale': 'en_US',
          ...(request.transactionId ? { 'x-customer-transaction-id': request.transactionId } : {}),
        },
        body: JSON.stringify(request.body),
      })
    ),
    fedExErrorMessage
  );
  return jsonAnswer(response.text, `FedEx ${request.path}`);
}
