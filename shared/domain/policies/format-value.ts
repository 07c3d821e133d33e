const MAX_LENGTH = 80;

/**
 * How explanations show a value: JSON, `missing` for undefined, cut at 80 characters so a log line stays
 * a line. Lists and objects are written only as far as the cut, because a condition such as
 * `lines containsData` is explained on every evaluation and serialising 50 lines there would cost more
 * than the evaluation itself.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const parts: string[] = [];
  const length = write(value, parts, 0);
  const text = parts.join('');
  return length > MAX_LENGTH || text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

/** Appends the JSON of `value` to `parts` until `length` passes the cut; returns the new length. */
function write(value: unknown, parts: string[], length: number): number {
  if (length > MAX_LENGTH) return length;
  if (typeof value !== 'object' || value === null) return push(parts, length, scalarText(value));
  const isList = Array.isArray(value);
  length = push(parts, length, isList ? '[' : '{');
  let first = true;
  for (const [key, item] of isList ? value.entries() : Object.entries(value)) {
    if (length > MAX_LENGTH) return length;
    // JSON leaves out undefined (and function) members of objects, and writes null for them in lists.
    if (!isList && (item === undefined || typeof item === 'function')) continue;
    if (!first) length = push(parts, length, ',');
    first = false;
    if (!isList) length = push(parts, length, `${JSON.stringify(key)}:`);
    length = write(item === undefined ? null : item, parts, length);
  }
  return push(parts, length, isList ? ']' : '}');
}

function push(parts: string[], length: number, text: string): number {
  parts.push(text);
  return length + text.length;
}

function scalarText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? `<${typeof value}>`;
}
