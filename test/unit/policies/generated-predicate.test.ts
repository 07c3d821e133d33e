import {
  compilePolicy,
  evaluatePolicy,
  MAX_RULE_DEPTH,
  validatePolicy,
  type Condition,
  type ConditionNode,
} from '../../../shared/domain/policies';
import { compileConditionTest } from '../../../shared/domain/policies/compile-condition';
import {
  compilePredicate,
  generatePredicateSource,
  MAX_CONDITIONS_PER_FUNCTION,
  MAX_GENERATED_QUANTIFIERS,
  MAX_GENERATED_SEGMENTS,
} from '../../../shared/domain/policies/generate-predicate';
import { makePolicy } from './policy-fixtures';
import { referenceEvaluate } from './reference-evaluator';

/**
 * The verdict from the generated code, checked against the naive reference and the explaining
 * closures (evaluate), which must all agree.
 */
function verdict(rule: ConditionNode, entity: unknown): boolean {
  const policy = makePolicy(rule);
  validatePolicy(policy);
  const fast = compilePolicy(policy).test(entity as object);
  expect(fast).toBe(referenceEvaluate(rule as never, entity));
  expect(evaluatePolicy(policy, entity as object).passed).toBe(fast);
  return fast;
}

/** Identifiers the generated source may use besides the names it makes (`v3`, `h0`, ...). */
const ALLOWED_WORDS = new Set([
  'const',
  'let',
  'return',
  'function',
  'compiledPolicyTest',
  'helpers',
  'entity',
  'r',
  'typeof',
  'null',
  'void',
  'true',
  'false',
  'if',
  'for',
  'break',
  'Array',
  'isArray',
  'startsWith',
  'length',
]);

/** The words of the source outside its string literals. */
function wordsOutsideLiterals(source: string): string[] {
  const code = source.replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
  return code.match(/[A-Za-z_$][\w$]*/g) ?? [];
}

describe('generated predicate', () => {
  it('is strict code that reads no global but Array.isArray', () => {
    const rule: ConditionNode = {
      all: [
        { path: 'shipTo.country', operator: 'equals', value: 'US' },
        { path: 'lines[all].quantity', operator: 'greaterThan', value: 0 },
        { path: 'lines[any].serials[all].ok', operator: 'equals', value: true },
        { path: 'createdAt', operator: 'lessThan', value: '2025-01-01' },
        { path: 'toString', operator: 'containsData' },
        {
          any: [
            { path: 'tags', operator: 'in', value: ['a', { b: 1 }] },
            { path: 'x', operator: 'notEquals', value: 1 },
          ],
        },
      ],
    };
    const { source, helpers } = generatePredicateSource(rule);
    expect(source.startsWith('"use strict";\n')).toBe(true);
    const unexpected = wordsOutsideLiterals(source).filter(
      (word) => !ALLOWED_WORDS.has(word) && !/^[vixgch]\d+$/.test(word)
    );
    expect(unexpected).toEqual([]);
    expect(source).not.toContain('undefined');
    // The date ordering, the `in` with an object and the inherited name go through closures.
    expect(helpers).toHaveLength(3);
    expect(helpers.every((helper) => typeof helper === 'function')).toBe(true);
  });

  it('writes the common operators inline and leaves the subtle ones to the closures', () => {
    const inline: Condition[] = [
      { path: 'a', operator: 'equals', value: 'US' },
      { path: 'a', operator: 'notEquals', value: 3 },
      { path: 'a', operator: 'in', value: ['x', 1, true] },
      { path: 'a', operator: 'beginsWith', value: 'SKU' },
      { path: 'a', operator: 'lessThan', value: 5 },
      { path: 'a', operator: 'greaterThanOrEqual', value: 'm' },
      { path: 'a', operator: 'containsData' },
      { path: 'a', operator: 'doesNotContainData' },
      { path: 'ship-to.post_code', operator: 'equals', value: 'x' },
    ];
    for (const condition of inline) expect(generatePredicateSource(condition).helpers).toEqual([]);
    const closures: Condition[] = [
      { path: 'a', operator: 'equals', value: '2024-01-01' },
      { path: 'a', operator: 'notEquals', value: ['x'] },
      { path: 'a', operator: 'equals', value: { b: 1 } },
      { path: 'a', operator: 'in', value: ['x', '2024-01-01T00:00:00Z'] },
      { path: 'a', operator: 'in', value: Array.from({ length: 9 }, (_, i) => i) },
      { path: 'a', operator: 'greaterThan', value: '2024-01-01T00:00:00+01:00' },
      { path: 'valueOf', operator: 'containsData' },
    ];
    for (const condition of closures) expect(generatePredicateSource(condition).helpers).toHaveLength(1);
  });

  it('reads only own properties, also for names that exist on Object.prototype', () => {
    for (const name of ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']) {
      expect(verdict({ path: name, operator: 'containsData' }, {})).toBe(false);
      expect(verdict({ path: name, operator: 'doesNotContainData' }, {})).toBe(true);
      expect(verdict({ path: name, operator: 'equals', value: 'own' }, { [name]: 'own' })).toBe(true);
      expect(
        verdict({ path: `lines[any].${name}`, operator: 'equals', value: 1 }, { lines: [{}, { [name]: 1 }] })
      ).toBe(true);
      expect(verdict({ path: `${name}[all].x`, operator: 'equals', value: 1 }, {})).toBe(true);
      expect(verdict({ path: `a.${name}`, operator: 'containsData' }, { a: 'text' })).toBe(false);
    }
    expect(verdict({ path: 'length', operator: 'equals', value: 2 }, ['a', 'b'])).toBe(false);
    expect(verdict({ path: 'lines.length', operator: 'equals', value: 0 }, { lines: [] })).toBe(false);
  });

  it('reads field names with - and _', () => {
    const entity = { 'ship-to': { 'post-code': '980-52', _id: 7 }, 'a-': [{ 'b-c': 1 }] };
    expect(verdict({ path: 'ship-to.post-code', operator: 'beginsWith', value: '980-' }, entity)).toBe(true);
    expect(verdict({ path: 'ship-to._id', operator: 'equals', value: 7 }, entity)).toBe(true);
    expect(verdict({ path: 'a-[any].b-c', operator: 'equals', value: 1 }, entity)).toBe(true);
    // `a-b` is one name, not `a` minus `b`.
    expect(verdict({ path: 'ship-to', operator: 'containsData' }, { ship: 1, to: 1 })).toBe(false);
  });

  it('writes any string value as a literal: quotes, backslashes, line separators, code', () => {
    const strings = [
      'say "hi"',
      "it's",
      'back\\slash',
      '\\"',
      'line\nbreak\r\t',
      'sep\u2028par\u2029',
      'lone \ud800 surrogate',
      '${process.exit(1)}',
      '"); throw new Error("injected"); ("',
      '*/ throw 1; /*',
      '</script>',
      '\u0000',
    ];
    for (const value of strings) {
      const entity = { s: value, other: `${value}!`, lines: [{ s: 'x' }, { s: value }] };
      expect(verdict({ path: 's', operator: 'equals', value }, entity)).toBe(true);
      expect(verdict({ path: 'other', operator: 'equals', value }, entity)).toBe(false);
      expect(verdict({ path: 's', operator: 'notEquals', value }, entity)).toBe(false);
      expect(verdict({ path: 'other', operator: 'beginsWith', value }, entity)).toBe(true);
      expect(verdict({ path: 's', operator: 'in', value: ['x', value] }, entity)).toBe(true);
      expect(verdict({ path: 'other', operator: 'greaterThan', value }, entity)).toBe(true);
      expect(verdict({ path: 's', operator: 'lessThanOrEqual', value }, entity)).toBe(true);
      expect(verdict({ path: 'lines[any].s', operator: 'equals', value }, entity)).toBe(true);
      expect(verdict({ path: 'lines[all].s', operator: 'equals', value }, entity)).toBe(false);
      // Inside a list or object value (deep equality goes through the closure, written as a literal nowhere).
      expect(verdict({ path: 'lines', operator: 'equals', value: [{ s: 'x' }, { s: value }] }, entity)).toBe(
        true
      );
    }
    const { source } = generatePredicateSource({ path: 's', operator: 'equals', value: 'a\u2028b\u2029c' });
    expect(source).not.toMatch(/[\u2028\u2029]/);
    expect(source).toContain('"a\\u2028b\\u2029c"');
  });

  it('numbers: negative zero, fractions, large values', () => {
    expect(verdict({ path: 'n', operator: 'equals', value: -0 }, { n: 0 })).toBe(true);
    expect(verdict({ path: 'n', operator: 'lessThan', value: -0 }, { n: -0.5 })).toBe(true);
    expect(verdict({ path: 'n', operator: 'greaterThanOrEqual', value: 0 }, { n: -0 })).toBe(true);
    expect(verdict({ path: 'n', operator: 'in', value: [1e21, 0.1] }, { n: 0.1 })).toBe(true);
    expect(verdict({ path: 'n', operator: 'lessThan', value: 1e300 }, { n: 1e299 })).toBe(true);
    expect(verdict({ path: 'n', operator: 'equals', value: 5 }, { n: '5' })).toBe(false);
  });

  it('[all] over a missing or non-list value holds, [any] does not', () => {
    for (const entity of [
      {},
      { lines: null },
      { lines: 'text' },
      { lines: { 0: { q: 1 } } },
      { lines: [] },
    ]) {
      expect(verdict({ path: 'lines[all].q', operator: 'equals', value: 1 }, entity)).toBe(true);
      expect(verdict({ path: 'lines[all]', operator: 'containsData' }, entity)).toBe(true);
      expect(verdict({ path: 'lines[any].q', operator: 'equals', value: 1 }, entity)).toBe(false);
      expect(verdict({ path: 'lines[any].q', operator: 'doesNotContainData' }, entity)).toBe(false);
      expect(verdict({ path: 'order.lines[all].q', operator: 'equals', value: 1 }, { order: entity })).toBe(
        true
      );
    }
    // Not an object at all.
    for (const entity of [null, 'text', 3, ['a']]) {
      expect(verdict({ path: 'lines[all].q', operator: 'equals', value: 1 }, entity)).toBe(true);
      expect(verdict({ path: 'lines[any].q', operator: 'equals', value: 1 }, entity)).toBe(false);
      expect(verdict({ path: 'a', operator: 'doesNotContainData' }, entity)).toBe(true);
    }
  });

  it('nests quantifiers, and groups around them', () => {
    const order = {
      lines: [
        { serials: [{ ok: true }, { ok: true }], tags: [['a'], ['b', 'c']] },
        { serials: [{ ok: false }] },
        { serials: [] },
        {},
      ],
    };
    expect(verdict({ path: 'lines[any].serials[all].ok', operator: 'equals', value: true }, order)).toBe(
      true
    );
    expect(verdict({ path: 'lines[all].serials[all].ok', operator: 'equals', value: true }, order)).toBe(
      false
    );
    expect(verdict({ path: 'lines[all].serials[any].ok', operator: 'equals', value: true }, order)).toBe(
      false
    );
    expect(verdict({ path: 'lines[any].serials[any].ok', operator: 'equals', value: false }, order)).toBe(
      true
    );
    const rule: ConditionNode = {
      any: [
        {
          all: [
            { path: 'lines[all].serials[all].ok', operator: 'equals', value: true },
            { path: 'x', operator: 'containsData' },
          ],
        },
        { all: [{ any: [{ path: 'lines[any].serials[any].ok', operator: 'equals', value: false }] }] },
      ],
    };
    expect(verdict(rule, order)).toBe(true);
    // Every line is an object, which is data.
    expect(verdict({ all: [rule, { path: 'lines[any]', operator: 'doesNotContainData' }] }, order)).toBe(
      false
    );
    expect(verdict({ all: [rule, { path: 'lines[all]', operator: 'containsData' }] }, order)).toBe(true);
  });

  it(`checks paths with more than ${MAX_GENERATED_QUANTIFIERS} quantifiers or ${MAX_GENERATED_SEGMENTS} fields through the closures`, () => {
    const nest = (depth: number, leaf: unknown): unknown =>
      depth === 0 ? leaf : { a: [nest(depth - 1, leaf)] };
    for (const loops of [MAX_GENERATED_QUANTIFIERS, MAX_GENERATED_QUANTIFIERS + 1, 12]) {
      const path = `${'a[all].'.repeat(loops)}b`;
      const written = loops <= MAX_GENERATED_QUANTIFIERS;
      const { source, helpers } = generatePredicateSource({ path, operator: 'equals', value: 1 });
      expect(source.split('for (').length - 1).toBe(written ? loops : 0);
      expect(helpers).toHaveLength(written ? 0 : 1);
      for (const [leaf, expected] of [
        [{ b: 1 }, true],
        [{ b: 2 }, false],
      ] as const) {
        expect(verdict({ path, operator: 'equals', value: 1 }, nest(loops, leaf))).toBe(expected);
        const anyPath = path.replaceAll('[all]', '[any]');
        expect(verdict({ path: anyPath, operator: 'equals', value: 1 }, nest(loops, leaf))).toBe(expected);
      }
    }
    for (const fields of [MAX_GENERATED_SEGMENTS, MAX_GENERATED_SEGMENTS + 1]) {
      const path = Array.from({ length: fields }, () => 'f').join('.');
      let entity: unknown = 'end';
      for (let i = 0; i < fields; i++) entity = { f: entity };
      expect(generatePredicateSource({ path, operator: 'equals', value: 'end' }).helpers).toHaveLength(
        fields <= MAX_GENERATED_SEGMENTS ? 0 : 1
      );
      expect(verdict({ path, operator: 'equals', value: 'end' }, entity)).toBe(true);
      expect(verdict({ path, operator: 'equals', value: 'end' }, { f: {} })).toBe(false);
    }
  });

  it(`cuts groups of more than ${MAX_CONDITIONS_PER_FUNCTION} conditions into functions, keeping order and short-circuit`, () => {
    const many = (count: number, fail: number): ConditionNode[] =>
      Array.from({ length: count }, (_, i) => ({
        path: `lines[all].q${i % 3}`,
        operator: 'greaterThan',
        value: i === fail ? 100 : 0,
      }));
    const order = { lines: [{ q0: 1, q1: 2, q2: 3 }] };
    for (const count of [MAX_CONDITIONS_PER_FUNCTION, MAX_CONDITIONS_PER_FUNCTION + 1, 120]) {
      const functions = (rule: ConditionNode) =>
        generatePredicateSource(rule).source.match(/function c\d+\(/g)?.length ?? 0;
      expect(functions({ all: many(count, -1) }) > 0).toBe(count > MAX_CONDITIONS_PER_FUNCTION);
      for (const fail of [-1, 0, count - 1, Math.floor(count / 2)]) {
        expect(verdict({ all: many(count, fail) }, order)).toBe(fail === -1);
        expect(verdict({ any: many(count, fail).map((node) => ({ all: [node] })) }, order)).toBe(
          count > 1 || fail === -1
        );
      }
      // Big children next to small ones, nested.
      const nested: ConditionNode = {
        any: [
          { all: many(count, count - 1) },
          { path: 'x', operator: 'containsData' },
          { all: [{ any: many(count, -1) }, { all: many(count, -1) }] },
        ],
      };
      expect(verdict(nested, order)).toBe(true);
      expect(verdict({ all: [nested, { all: many(count, 3) }] }, order)).toBe(count <= 3);
    }
  });

  it(`compiles the deepest tree validatePolicy accepts, and refuses a deeper one`, () => {
    let rule: ConditionNode = { path: 'lines[any].q', operator: 'equals', value: 1 };
    for (let depth = 1; depth < MAX_RULE_DEPTH; depth++) {
      rule =
        depth % 2 === 0 ? { all: [rule, { path: 'y', operator: 'doesNotContainData' }] } : { any: [rule] };
    }
    expect(verdict(rule, { lines: [{ q: 1 }] })).toBe(true);
    expect(verdict(rule, { lines: [{ q: 2 }] })).toBe(false);
    const deeper: ConditionNode = { all: [rule] };
    expect(() => validatePolicy(makePolicy(deeper))).toThrow(/deeper than/);
    expect(() => generatePredicateSource(deeper)).toThrow(/deeper than/);
  });

  it('decides as the closures do on values validatePolicy refuses', () => {
    const conditions = [
      { path: 'a', operator: 'in', value: ['x', null] },
      { path: 'a', operator: 'in', value: [null] },
      { path: 'a', operator: 'in', value: 'x' },
      { path: 'a', operator: 'in' },
      { path: 'a', operator: 'beginsWith', value: 1 },
      { path: 'a', operator: 'lessThan', value: true },
      { path: 'a', operator: 'greaterThan', value: NaN },
      { path: 'a', operator: 'lessThanOrEqual', value: Infinity },
      { path: 'a', operator: 'equals', value: null },
      { path: 'a', operator: 'equals' },
      { path: 'a', operator: 'notEquals', value: NaN },
      { path: 'a', operator: 'equals', value: -Infinity },
      { path: 'a', operator: 'containsData', value: 'x' },
    ] as unknown as Condition[];
    const values = [undefined, null, 'x', '', 1, NaN, Infinity, -Infinity, true, [], ['x'], {}];
    for (const condition of conditions) {
      const generated = compilePredicate(condition);
      const closures = compileConditionTest(condition);
      for (const a of values)
        expect([condition, a, generated({ a })]).toEqual([condition, a, closures({ a })]);
    }
  });

  it('refuses a path that does not parse, even without validation', () => {
    expect(() => compilePredicate({ path: 'a"]; throw 1; //', operator: 'containsData' })).toThrow(
      /policy is invalid/
    );
  });

  it('is generated on the first test only, and reused', () => {
    const compiled = compilePolicy(makePolicy({ path: 'a', operator: 'equals', value: 1 }));
    expect(compiled.evaluate({ a: 1 }).passed).toBe(true);
    expect(compiled.test({ a: 1 })).toBe(true);
    expect(compiled.test({ a: 2 })).toBe(false);
  });
});
