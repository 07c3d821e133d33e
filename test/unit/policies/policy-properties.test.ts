import fc from 'fast-check';
import {
  applyExecutionPolicy,
  compilePolicy,
  evaluatePolicy,
  MAX_RULE_CONDITIONS,
  validatePolicy,
  type Condition,
  type ConditionNode,
  type JsonValue,
  type PolicyExplanation,
} from '../../../shared/domain/policies';
import { deepFreeze } from '../../../shared/domain/policies/deep-freeze';
import { makePolicy } from './policy-fixtures';
import { referenceEvaluate } from './reference-evaluator';

// Small pools, so that random conditions and random orders actually meet.
const dates = fc.constantFrom(
  '2024-01-01',
  '2024-01-01T00:00:00Z',
  '2024-01-01T01:00:00+01:00',
  '2024-01-01T00:00:00.000Z',
  '2023-12-31T23:59:59.999-05:00',
  '2024-03-15T12:30:00.25Z',
  '2024-02-30',
  '2024-02-29',
  '2024-01-01T10:00:00',
  '2023-13-01',
  // Same lengths, to exercise the compare-as-string shortcut for dates of one layout.
  '2024-01-01T00:00:01Z',
  '2024-01-01T25:00:00Z',
  '2024-01-01T00:00Z',
  '2024-01-01T00:00:00.5Z',
  '2024-01-01T00:00:00.9Z',
  '2024-01-01T00:00:00+00:00',
  '2025-01-01'
);
const text = fc.oneof(
  fc.constantFrom('US', 'DE', 'us', '', 'USD', 'EUR', 'SKU-1', 'SKU-10', 'sku-2', 'A', 'B', 'vip'),
  // Strings the generated predicate must write as literals without changing them.
  fc.constantFrom('"', 'A"', '\\', 'A\\"', '\u2028', 'A\u2029B', '\n', "'"),
  dates,
  fc.string({ maxLength: 3 })
);
const number = fc.oneof(fc.integer({ min: -3, max: 10 }), fc.constantFrom(0.5, -0, 1e9, 2.25));
const scalar = fc.oneof(text, number, fc.boolean());
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: arb }, fc.constant(null));

const serial = fc.record({ ok: maybe(fc.oneof(fc.boolean(), text)) }, { requiredKeys: [] });
const line = fc.record(
  {
    sku: maybe(text),
    quantity: maybe(fc.oneof(number, text)),
    price: maybe(number),
    shipDate: maybe(dates),
    attributes: maybe(fc.record({ color: maybe(text) }, { requiredKeys: [] })),
    serials: maybe(fc.array(serial, { maxLength: 3 })),
  },
  { requiredKeys: [] }
);
const order = fc.record(
  {
    currency: maybe(text),
    total: maybe(fc.oneof(number, text)),
    createdAt: maybe(dates),
    shipTo: maybe(
      fc.oneof(fc.record({ country: maybe(text), postalCode: maybe(text) }, { requiredKeys: [] }), text)
    ),
    customer: maybe(fc.record({ email: maybe(text), tier: maybe(scalar) }, { requiredKeys: [] })),
    tags: maybe(fc.oneof(fc.array(text, { maxLength: 3 }), text)),
    'ship-to': maybe(fc.record({ 'post-code': maybe(text) }, { requiredKeys: [] })),
    hasOwnProperty: maybe(text),
    lines: maybe(fc.oneof({ weight: 5, arbitrary: fc.array(line, { maxLength: 5 }) }, text)),
  },
  { requiredKeys: [] }
);

const paths = fc.constantFrom(
  'currency',
  'total',
  'createdAt',
  'shipTo',
  'shipTo.country',
  'shipTo.postalCode',
  'customer.email',
  'customer.tier',
  'tags',
  'tags[any]',
  'tags[all]',
  'lines',
  'lines[any].sku',
  'lines[all].sku',
  'lines[any].quantity',
  'lines[all].quantity',
  'lines[all].price',
  'lines[any].shipDate',
  'lines[any].attributes.color',
  'lines[all].attributes',
  'lines[any].serials[all].ok',
  'lines[all].serials[any].ok',
  'lines[any].serials',
  'missing.field',
  'lines.sku',
  'shipTo[any].country',
  'customer.email.domain',
  'lines.length',
  'toString',
  'lines[any].valueOf',
  'hasOwnProperty',
  'ship-to.post-code',
  'ship-to[all].post-code'
);
const nonNull: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  fc.array(text, { maxLength: 2 }),
  fc.record({ country: maybe(text) }, { requiredKeys: [] })
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    path: paths,
    operator: fc.constantFrom('equals' as const, 'notEquals' as const),
    value: nonNull,
  }),
  fc.record({
    path: paths,
    operator: fc.constantFrom(
      'lessThan' as const,
      'lessThanOrEqual' as const,
      'greaterThan' as const,
      'greaterThanOrEqual' as const
    ),
    value: fc.oneof(text, number),
  }),
  fc.record({
    path: paths,
    operator: fc.constant('in' as const),
    // Past 8 values the generated predicate leaves `in` to its closure.
    value: fc.array(nonNull, { minLength: 1, maxLength: 10 }),
  }),
  fc.record({ path: paths, operator: fc.constant('beginsWith' as const), value: text }),
  fc.record({
    path: paths,
    operator: fc.constantFrom('containsData' as const, 'doesNotContainData' as const),
  })
);
const { node: rule } = fc.letrec<{ node: ConditionNode; all: ConditionNode; any: ConditionNode }>((tie) => ({
  node: fc.oneof({ maxDepth: 4, depthIdentifier: 'rule' }, condition, tie('all'), tie('any')),
  all: fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  any: fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
}));

function countConditions(node: ConditionNode): number {
  if ('all' in node) return node.all.reduce((sum, child) => sum + countConditions(child), 0);
  if ('any' in node) return node.any.reduce((sum, child) => sum + countConditions(child), 0);
  return 1;
}

/** Groups larger than the generated predicate writes into one function (MAX_CONDITIONS_PER_FUNCTION). */
const largeRule: fc.Arbitrary<ConditionNode> = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.oneof({ weight: 6, arbitrary: condition }, rule), { minLength: 20, maxLength: 70 }),
    rule
  )
  .map(([isAll, children, other]): ConditionNode => {
    const group = isAll ? { all: children } : { any: children };
    return isAll ? { any: [group, other] } : { all: [other, group] };
  })
  .filter((node) => countConditions(node) <= MAX_RULE_CONDITIONS);

/** Every group's explanation must be consistent with its verdict and the verdicts of its deciding children. */
function checkExplanation(node: PolicyExplanation): void {
  if (node.type === 'condition') return;
  node.decidedBy.forEach(checkExplanation);
  const stopOn = node.type === 'any';
  if (node.passed === stopOn) {
    expect(node.decidedBy).toHaveLength(1);
    expect(node.decidedBy[0]!.passed).toBe(stopOn);
  } else {
    expect(node.decidedBy.every((child) => child.passed === !stopOn)).toBe(true);
  }
}

describe('policy evaluation (property)', () => {
  it('the compiled evaluator agrees with the naive reference on random rules and orders', () => {
    fc.assert(
      fc.property(rule, fc.array(order, { minLength: 1, maxLength: 5 }), (tree, orders) => {
        const policy = makePolicy(tree);
        expect(validatePolicy(policy)).toEqual(policy);
        const compiled = compilePolicy(policy);
        for (const entity of orders) {
          const frozen = deepFreeze(entity);
          const expected = referenceEvaluate(tree as never, frozen);
          expect(compiled.test(frozen)).toBe(expected);
          const { passed, explanation } = evaluatePolicy(policy, frozen);
          expect(passed).toBe(expected);
          expect(explanation.passed).toBe(expected);
          checkExplanation(explanation);
        }
      }),
      { numRuns: 1000 }
    );
  });

  it('the generated predicate agrees with the reference on large rules, cut into several functions', () => {
    fc.assert(
      fc.property(largeRule, fc.array(order, { minLength: 1, maxLength: 5 }), (tree, orders) => {
        const policy = makePolicy(tree);
        const compiled = compilePolicy(policy);
        for (const entity of orders) {
          const frozen = deepFreeze(entity);
          const expected = referenceEvaluate(tree as never, frozen);
          expect(compiled.test(frozen)).toBe(expected);
          expect(compiled.evaluate(frozen).passed).toBe(expected);
        }
      }),
      { numRuns: 200 }
    );
  });

  it('dates: every operator agrees with the reference across layouts and offsets of nearby instants', () => {
    const base = Date.UTC(2024, 0, 1);
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const spelled = fc
      .record({
        instant: fc.constantFrom(
          base,
          base + 1000,
          base + 100,
          base + 3_600_000,
          base + 86_400_000,
          base - 1
        ),
        offsetMinutes: fc.constantFrom(0, 0, 60, -330, 23 * 60 + 59),
        layout: fc.constantFrom('date', 'minutes', 'seconds', 'fraction1', 'fraction3'),
        zulu: fc.boolean(),
      })
      .map(({ instant, offsetMinutes, layout, zulu }) => {
        if (layout === 'date') return new Date(instant).toISOString().slice(0, 10);
        const offset = zulu ? 0 : offsetMinutes;
        const iso = new Date(instant + offset * 60_000).toISOString(); // local wall time, written as if UTC
        const time = { minutes: 16, seconds: 19, fraction1: 21, fraction3: 23 }[layout];
        const sign = offset < 0 ? '-' : '+';
        const zone = zulu
          ? 'Z'
          : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
        return iso.slice(0, time) + zone;
      });
    const operators = fc.constantFrom(
      'equals' as const,
      'notEquals' as const,
      'lessThan' as const,
      'lessThanOrEqual' as const,
      'greaterThan' as const,
      'greaterThanOrEqual' as const,
      'in' as const
    );
    const anyDate = fc.oneof(spelled, dates);
    fc.assert(
      fc.property(anyDate, anyDate, operators, (actual, expected, operator) => {
        const condition = { path: 'd', operator, value: operator === 'in' ? [expected] : expected };
        const entity = { d: actual };
        expect(compilePolicy(makePolicy(condition)).test(entity)).toBe(referenceEvaluate(condition, entity));
      }),
      { numRuns: 3000 }
    );
  });

  it('set-value actions leave the input untouched and make a plain path read back the value', () => {
    const field = fc.constantFrom('currency', 'shipTo.country', 'customer.email', 'billing.account.id');
    fc.assert(
      fc.property(order, field, nonNull, (entity, path, value) => {
        const frozen = deepFreeze(entity);
        const snapshot = structuredClone(frozen);
        const policy = makePolicy(
          { path: 'currency', operator: 'doesNotContainData' },
          {
            kind: 'execution',
            actions: [{ path, value }],
          }
        );
        let outcome;
        try {
          outcome = applyExecutionPolicy(policy, frozen);
        } catch {
          // Only when the path crosses a non-object, e.g. shipTo is a string.
          const parent = path.split('.').slice(0, -1);
          let at: unknown = frozen;
          let crossesScalar = false;
          for (const key of parent) {
            at = (at as Record<string, unknown> | undefined)?.[key] ?? undefined;
            if (at !== undefined && at !== null && (typeof at !== 'object' || Array.isArray(at)))
              crossesScalar = true;
          }
          expect(crossesScalar).toBe(true);
          return;
        }
        expect(frozen).toEqual(snapshot);
        const expected = referenceEvaluate({ path: 'currency', operator: 'doesNotContainData' }, frozen);
        expect(outcome.passed).toBe(expected);
        if (expected)
          expect(referenceEvaluate({ path, operator: 'equals', value }, outcome.entity)).toBe(true);
        else expect(outcome.entity).toBe(frozen);
      }),
      { numRuns: 300 }
    );
  });
});
