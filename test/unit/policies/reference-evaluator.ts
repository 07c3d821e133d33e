/**
 * A deliberately naive evaluator of the rule semantics documented in shared/domain/policies/policy.ts:
 * recursive over the JSON tree, paths split on every call, nothing prepared in advance, and none of the
 * production helpers reused. The property test holds the compiled evaluator to it; the policy benchmark
 * uses it as the uncompiled baseline.
 */

type Node = { all: Node[] } | { any: Node[] } | { path: string; operator: string; value?: unknown };

export function referenceEvaluate(node: Node, entity: unknown): boolean {
  if ('all' in node) return node.all.every((child) => referenceEvaluate(child, entity));
  if ('any' in node) return node.any.some((child) => referenceEvaluate(child, entity));
  return evaluateAt(node.path.split('.'), entity, node.operator, node.value);
}

function evaluateAt(segments: string[], value: unknown, operator: string, expected: unknown): boolean {
  if (segments.length === 0) return applyOperator(operator, value, expected);
  const [segment, ...rest] = segments as [string, ...string[]];
  const match = /^([^[]+)(?:\[(any|all)\])?$/.exec(segment)!;
  const field = match[1]!;
  const quantifier = match[2];
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const child =
    isObject && Object.hasOwn(value, field) ? (value as Record<string, unknown>)[field] : undefined;
  if (quantifier === undefined) return evaluateAt(rest, child, operator, expected);
  const list: unknown[] = Array.isArray(child) ? child : [];
  return quantifier === 'any'
    ? list.some((element) => evaluateAt(rest, element, operator, expected))
    : list.every((element) => evaluateAt(rest, element, operator, expected));
}

function applyOperator(operator: string, actual: unknown, expected: unknown): boolean {
  const missing = actual === undefined || actual === null;
  const hasData = !missing && actual !== '' && !(Array.isArray(actual) && actual.length === 0);
  if (operator === 'containsData') return hasData;
  if (operator === 'doesNotContainData') return !hasData;
  if (missing) return false;
  switch (operator) {
    case 'equals':
      return deepEqual(actual, expected);
    case 'notEquals':
      return !deepEqual(actual, expected);
    case 'in':
      return (expected as unknown[]).some((candidate) => deepEqual(actual, candidate));
    case 'beginsWith':
      return typeof actual === 'string' && actual.startsWith(expected as string);
    default: {
      const order = compare(actual, expected);
      if (order === undefined) return false;
      if (operator === 'lessThan') return order < 0;
      if (operator === 'lessThanOrEqual') return order <= 0;
      if (operator === 'greaterThan') return order > 0;
      if (operator === 'greaterThanOrEqual') return order >= 0;
      throw new Error(`reference: unknown operator ${operator}`);
    }
  }
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  const left = isoInstant(a);
  const right = isoInstant(b);
  if (left !== undefined && right !== undefined) return left - right;
  return a < b ? -1 : a > b ? 1 : 0;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    const left = isoInstant(a);
    return left !== undefined && left === isoInstant(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      keysA.length === keysB.length &&
      keysA.every(
        (k) =>
          keysB.includes(k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
      )
    );
  }
  return a === b;
}

/** ISO date or offset date-time → epoch ms, checked field by field; undefined when not one. */
function isoInstant(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,3})?)?(Z|[+-](\d{2}):(\d{2})))?$/.exec(
    text
  );
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth =
    new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (Number(m[5] ?? 0) > 23 || Number(m[6] ?? 0) > 59 || Number(m[8] ?? 0) > 59) return undefined;
  if (Number(m[11] ?? 0) > 23 || Number(m[12] ?? 0) > 59) return undefined;
  // Date.parse reads both date-only and offset forms as ISO (date-only as UTC), per ECMA-262.
  return Date.parse(text);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
