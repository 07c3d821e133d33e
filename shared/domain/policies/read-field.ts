/**
 * One step of a path: a field of an object; lists and primitives have no fields.
 *
 * Inherited `Object.prototype` members (`toString`, `valueOf`, ...) must never look like data. Checking
 * `Object.hasOwn` on every read costs as much as the rest of an element's check, so the check is
 * chosen once per field when compiling: only names that exist on `Object.prototype` pay for it. Other
 * names are read directly, which on the plain JSON objects policies evaluate can only find own data.
 * The generated predicate (generate-predicate.ts) follows the same rule: it writes a plain field's read
 * inline and calls this reader for the others.
 */
export function compileFieldReader(field: string): (value: unknown) => unknown {
  if (!isPlainField(field)) return (value) => readField(value, field);
  return (value) =>
    typeof value !== 'object' || value === null || Array.isArray(value)
      ? undefined
      : (value as Record<string, unknown>)[field];
}

/** The checked, uncompiled form: an own property of a non-list object, or undefined. */
export function readField(value: unknown, field: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, field) ? (value as Record<string, unknown>)[field] : undefined;
}

/** A field name that no plain object inherits, so reading it directly can only find own data. */
export function isPlainField(field: string): boolean {
  return !(field in Object.prototype);
}
