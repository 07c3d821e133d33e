/**
 * What is kept of one call to a provider's API for the error list and the timeline: enough to see
 * what was asked and what came back, with every secret of the connection replaced by `***` and the
 * Authorization header never kept.
 */
export interface RecordedExchange {
  method: string;
  /** The URL with secret values masked (some APIs take keys in the query). */
  url: string;
  /** The final status after any retries; absent when no answer came. */
  status?: number;
  /** An excerpt of the request body. */
  request?: string;
  /** An excerpt of the answer body, or why no answer came. */
  answer?: string;
}

export const exchangeExcerptChars = 2000;

export const secretMask = '***';

/**
 * `text` with every secret value replaced by `***`: as written, JSON-escaped (once, and twice for JSON
 * carried inside a JSON string) and URL-encoded, since a secret can reach a body or URL in each form.
 * Longer forms first, so a secret that contains another is masked whole.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const escaped = (value: string) => JSON.stringify(value).slice(1, -1);
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(escaped(secret));
    forms.add(escaped(escaped(secret)));
    forms.add(encodeURIComponent(secret));
  }
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(secretMask);
  }
  return result;
}

/** The first `exchangeExcerptChars` characters, marked when cut. */
export function excerpt(text: string): string {
  return text.length <= exchangeExcerptChars ? text : `${text.slice(0, exchangeExcerptChars)}…`;
}
