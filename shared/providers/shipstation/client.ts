import type {
  ProviderConnection,
  ProviderHttp,
  ProviderRequest,
  ProviderResponse,
  RetryDelay,
} from '../../ports/provider-plugins';
import { firstText, inProviderWords, jsonAnswer } from '../common/provider-refusal';
import { shipStationDefaultBaseUrl } from './definition';

/** ShipStation says in `X-Rate-Limit-Reset` how many seconds are left of the 40-requests minute. */
export const shipStationRetryDelay: RetryDelay = (response: ProviderResponse) => {
  if (response.status !== 429) return undefined;
  const reset = response.headers.get('x-rate-limit-reset');
  const seconds = reset === null || reset.trim() === '' ? Number.NaN : Number(reset);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

/** ASP.NET error bodies `{Message, ExceptionMessage}`; the reference pages show `{message}`. */
export function shipStationErrorMessage(body: unknown): string | undefined {
  const error = (body ?? {}) as Record<string, unknown>;
  return firstText(error.ExceptionMessage, error.Message, error.message);
}

export function shipStationBaseUrl(connection: ProviderConnection): string {
  return String(connection.parameters.baseUrl ?? shipStationDefaultBaseUrl).replace(/\/+$/, '');
}

export function basicAuthorization(connection: ProviderConnection): string {
  const { apiKey = '', apiSecret = '' } = connection.secrets;
  return `Basic ${Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64')}`;
}

/** One ShipStation call: Basic auth, JSON, its rate-limit wait, its own error message on failure. */
export async function shipStationCall(
  connection: ProviderConnection,
  http: ProviderHttp,
  request: Omit<ProviderRequest, 'headers'>
): Promise<unknown> {
  const response = await inProviderWords(
    http.request(
      {
        ...request,
        headers: {
          authorization: basicAuthorization(connection),
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      shipStationRetryDelay
    ),
    shipStationErrorMessage
  );
  return response.text.trim() === ''
    ? null
    : jsonAnswer(response.text, `ShipStation ${new URL(request.url).pathname}`);
}
