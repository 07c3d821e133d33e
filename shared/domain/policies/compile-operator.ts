import { containsData } from './contains-data';
import { parseIsoDate } from './parse-iso-date';
import type { JsonValue, PolicyOperator } from './policy';
import { valuesEqual } from './values-equal';

export type ValueMatcher = (actual: unknown) => boolean;

/**
 * Turns an operator and its expected value into a predicate on the actual value, doing per-policy work
 * (parsing the expected date, building the `in` set) once instead of per evaluation. The semantics are
 * those documented in policy.ts.
 */
export function compileOperator(operator: PolicyOperator, expected: JsonValue | undefined): ValueMatcher {
  switch (operator) {
    case 'containsData':
      return containsData;
    case 'doesNotContainData':
      return (actual) => !containsData(actual);
    case 'equals':
      return compileEquals(expected);
    case 'notEquals': {
      const equals = compileEquals(expected);
      // Missing never compares: "not equals US" does not match an order without a country.
      return (actual) => actual !== undefined && actual !== null && !equals(actual);
    }
    case 'in':
      return compileIn(expected);
    case 'beginsWith': {
      if (typeof expected !== 'string') return () => false;
      const prefix = expected;
      return (actual) => typeof actual === 'string' && actual.startsWith(prefix);
    }
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'greaterThan':
    case 'greaterThanOrEqual':
      return compileOrdering(operator, expected);
  }
}

function compileEquals(expected: JsonValue | undefined): ValueMatcher {
  if (typeof expected === 'string') {
    const instant = parseIsoDate(expected);
    if (Number.isNaN(instant)) return (actual) => actual === expected;
    return (actual) =>
      actual === expected ||
      (typeof actual === 'string' && !hasSameLayout(actual, expected) && parseIsoDate(actual) === instant);
  }
  if (typeof expected === 'object' && expected !== null) return (actual) => valuesEqual(actual, expected);
  return (actual) => actual === expected;
}

function compileIn(expected: JsonValue | undefined): ValueMatcher {
  const values = Array.isArray(expected) ? (expected as readonly JsonValue[]) : [];
  // Plain scalars go into a Set; dates (equal across formats) and lists/objects need the full equality.
  const exact = new Set<unknown>();
  const others: ValueMatcher[] = [];
  for (const value of values) {
    const isDate = typeof value === 'string' && !Number.isNaN(parseIsoDate(value));
    if ((typeof value === 'object' && value !== null) || isDate) others.push(compileEquals(value));
    else exact.add(value);
  }
  if (others.length === 0) return (actual) => actual !== undefined && actual !== null && exact.has(actual);
  return (actual) => {
    if (actual === undefined || actual === null) return false;
    if (exact.has(actual)) return true;
    for (const equals of others) if (equals(actual)) return true;
    return false;
  };
}

type Ordering = 'lessThan' | 'lessThanOrEqual' | 'greaterThan' | 'greaterThanOrEqual';

function compileOrdering(operator: Ordering, expected: JsonValue | undefined): ValueMatcher {
  if (typeof expected === 'number') {
    switch (operator) {
      case 'lessThan':
        return (actual) => typeof actual === 'number' && actual < expected;
      case 'lessThanOrEqual':
        return (actual) => typeof actual === 'number' && actual <= expected;
      case 'greaterThan':
        return (actual) => typeof actual === 'number' && actual > expected;
      case 'greaterThanOrEqual':
        return (actual) => typeof actual === 'number' && actual >= expected;
    }
  }
  if (typeof expected !== 'string') return () => false;
  const holds = orderingHolds(operator);
  const instant = parseIsoDate(expected);
  if (Number.isNaN(instant)) {
    return (actual) =>
      typeof actual === 'string' && holds(actual < expected ? -1 : actual > expected ? 1 : 0);
  }
  return (actual) => {
    if (typeof actual !== 'string') return false;
    if (hasSameLayout(actual, expected)) return holds(actual < expected ? -1 : actual > expected ? 1 : 0);
    const actualInstant = parseIsoDate(actual);
    // Both sides must be dates to compare as dates; otherwise it is a plain string comparison.
    if (!Number.isNaN(actualInstant)) return holds(actualInstant - instant);
    return holds(actual < expected ? -1 : actual > expected ? 1 : 0);
  };
}

function orderingHolds(operator: Ordering): (comparison: number) => boolean {
  switch (operator) {
    case 'lessThan':
      return (c) => c < 0;
    case 'lessThanOrEqual':
      return (c) => c <= 0;
    case 'greaterThan':
      return (c) => c > 0;
    case 'greaterThanOrEqual':
      return (c) => c >= 0;
  }
}

/**
 * Whether `actual` can be compared with the date `expected` as a string, skipping the parse (a rule like
 * `lines[all].requestedShipDate lessThan "2025-01-01"` would otherwise parse a date per line per
 * evaluation). Sound because each length of a date-only or `Z` date-time has exactly one layout
 * (10: date; 17: minutes; 20: seconds; 21+n: n fraction digits): if `actual` is a valid date of the
 * same length and ends the same way, its layout is the expected one and string order is time order
 * (and equal instants are equal strings); if it is not a valid date, the rule compares strings anyway.
 * Offsets other than `Z` are excluded: `+01:00` and `Z` spell one instant two ways.
 */
function hasSameLayout(actual: string, expected: string): boolean {
  const length = expected.length;
  if (actual.length !== length) return false;
  return (
    length === 10 || (expected.charCodeAt(length - 1) === 90 /* Z */ && actual.charCodeAt(length - 1) === 90)
  );
}
