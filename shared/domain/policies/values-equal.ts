import { parseIsoDate } from './parse-iso-date';

/**
 * `equals` semantics: no coercion between types; strings that are both ISO dates compare as instants;
 * lists element by element; objects by their own keys (a key holding `undefined` counts as absent,
 * as it would after a JSON round trip).
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string') {
    if (typeof b !== 'string') return false;
    const instant = parseIsoDate(a);
    return !Number.isNaN(instant) && instant === parseIsoDate(b);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = definedKeys(a);
  const right = definedKeys(b);
  if (left.length !== right.length) return false;
  for (const key of left) {
    if (!Object.hasOwn(b, key)) return false;
    if (!valuesEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function definedKeys(value: object): string[] {
  return Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
}
