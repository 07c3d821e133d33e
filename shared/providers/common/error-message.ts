import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';

const maxChars = 300;

/**
 * The provider's own one-line reason from an error answer's body, for the step's failure: the
 * shapes APIs commonly use (OData/Graph `error.message`, OAuth `error_description`, `message`,
 * `errors[0].message` or a list of texts, problem+json `detail`/`title`). Undefined when the body
 * has none of them, so the caller keeps the HTTP status as the message.
 */
export function providerErrorText(body: string | undefined): string | undefined {
  if (body === undefined || body.trim() === '') return undefined;
  let value: unknown;
  try {
    value = parseJsonLossless(body);
  } catch {
    return oneLine(body);
  }
  const found = reasonOf(value);
  return found === undefined ? undefined : oneLine(found);
}

function reasonOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return reasonOf(value[0]);
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  for (const name of ['error_description', 'message', 'Message', 'detail', 'title', 'error', 'errors']) {
    const reason = reasonOf(fields[name]);
    if (reason !== undefined && reason.trim() !== '') return reason;
  }
  return undefined;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}
