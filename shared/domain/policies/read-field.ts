/**
 * One step of a path: an own property of a plain object. Lists and primitives have no fields, and
 * inherited properties (`toString`) must never look like data.
 */
export function readField(value: unknown, field: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, field) ? (value as Record<string, unknown>)[field] : undefined;
}
