const MAX_LENGTH = 80;

/** How explanations show a value: JSON, `missing` for undefined, cut short so a log line stays a line. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = toText(value);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function toText(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // Cyclic or BigInt-bearing input: an explanation must still come out rather than an exception.
  }
  return typeof value === 'bigint' ? value.toString() : `<${typeof value}>`;
}
