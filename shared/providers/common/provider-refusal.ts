import { ProviderCallError } from '../../domain/providers/provider-call-error';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';

/**
 * Runs a provider call; a ProviderCallError with an answer is thrown again with the provider's own
 * message, read from its error body by `messageOf`, so a failed step says what the provider said
 * (e.g. "ShipStation answered 400: Invalid carrierCode"). The status and body excerpt are kept.
 */
export async function withProviderMessage<T>(
  provider: string,
  messageOf: (body: unknown) => string | undefined,
  run: () => Promise<T>
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ProviderCallError) || err.status === undefined || err.body === undefined) throw err;
    let said: string | undefined;
    try {
      said = messageOf(parseJsonLossless(err.body));
    } catch {
      said = undefined;
    }
    if (said === undefined || said.trim() === '') throw err;
    throw new ProviderCallError(`${provider} answered ${err.status}: ${oneLine(said)}`, err.status, err.body);
  }
}

/** The first non-empty string among `values`. */
export function firstText(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A JSON scalar of a provider's answer as text (`fallback` for objects, null and absent values). */
export function scalarText(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return fallback;
}
