const maxChars = 300;

/**
 * The one-line reason in an error answer of an API we know nothing about: the shapes APIs commonly
 * use (OData/Graph `error.message`, OAuth `error_description`, `message`, `errors[0].message` or a
 * list of texts, problem+json `detail`/`title`). Undefined when the body has none of them, so the
 * HTTP client's own message (method, URL, status) stands.
 */
export function commonErrorMessage(body: unknown): string | undefined {
  const found = reasonOf(body);
  if (found === undefined) return undefined;
  const line = found.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
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
