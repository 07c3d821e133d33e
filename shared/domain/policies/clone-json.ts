/**
 * A deep copy of a JSON-like value (what validatePolicy accepted). Used instead of structuredClone so that
 * copies are plain objects of this realm, and `Object.fromEntries` keeps a `"__proto__"` key an own
 * property instead of turning it into a prototype.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneJson(item)])) as T;
}
