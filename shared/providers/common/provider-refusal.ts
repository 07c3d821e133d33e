import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { ProviderCallError } from '../../domain/providers/provider-call-error';

/**
 * `call`, with a provider's refusal told in the provider's own words: the error body is parsed and
 * `messageOf` picks its one-line message (Avalara `error.message`, Shopify `errors`, ...). A body
 * that is not JSON, or has no message where expected, leaves the client's own error as it is.
 */
export async function inProviderWords<T>(
  call: Promise<T>,
  messageOf: (body: unknown) => string | undefined
): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (!(err instanceof ProviderCallError) || err.body === undefined) throw err;
    let message: string | undefined;
    try {
      message = messageOf(parseJsonLossless(err.body));
    } catch {
      message = undefined;
    }
    if (message === undefined || message.trim() === '') throw err;
    throw new ProviderCallError(message.trim(), err.status, err.body);
  }
}

/** The answer's JSON body, or a ProviderCallError naming what was asked when it is not JSON. */
export function jsonAnswer(text: string, what: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    throw new ProviderCallError(`${what} answered a body that is not JSON.`, undefined, text.slice(0, 500));
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A provider's id (a number or a string) as text; '' for anything else. */
export function idText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : '';
}

/** The first non-empty string among `values`. */
export function firstText(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '');
}

/** A JSON scalar of a provider's answer as text (`fallback` for objects, null and absent values). */
export function scalarText(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return fallback;
}
