import { ValidationError } from '../../../shared/domain/errors';
import {
  MAX_PATH_SEGMENTS,
  MAX_RULE_DEPTH,
  validatePolicy,
  type ConditionNode,
} from '../../../shared/domain/policies';
import { makePolicy } from './policy-fixtures';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    validatePolicy(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return [...(err as ValidationError).errors];
  }
  throw new Error('expected a ValidationError');
}

describe('validatePolicy', () => {
  it('returns a typed copy of a valid policy', () => {
    const input = makePolicy(
      { all: [{ path: 'lines[all].quantity', operator: 'greaterThan', value: 0 }] },
      { kind: 'execution', actions: [{ path: 'lines[all].source', value: 'wh-1' }] }
    );
    const policy = validatePolicy(input);
    expect(policy).toEqual(input);
    expect(policy).not.toBe(input);
    expect(policy.rule).not.toBe(input.rule);
  });

  it('lists every problem with its JSON path', () => {
    const issues = issuesOf({
      id: '',
      name: 'x',
      kind: 'filter',
      entityType: 'invoice',
      criticality: 'critical',
      version: 0,
      status: 'live',
      rule: {
        all: [
          { path: 'currency', operator: 'like', value: 'US%' },
          { path: 'currency', operator: 'equals' },
          { path: 'currency', operator: 'in', value: 'USD' },
          { any: [] },
          { path: 'lines[0].sku', operator: 'containsData' },
          { path: 'ship..to', operator: 'equals', value: 1 },
          { path: 'total', operator: 'greaterThan', value: true },
          { path: 'sku', operator: 'beginsWith', value: 1 },
          { path: 'sku', operator: 'containsData', value: 'x' },
          { path: 'sku', operator: 'equals', value: null },
          { path: 'sku', operator: 'in', value: [] },
          { path: 'sku', operator: 'equals', value: 1, extra: true },
          { all: [], any: [] },
          'currency = USD',
        ],
      },
      actions: [{ path: 'currency', value: 'EUR' }],
      owner: 'me',
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      '/owner',
      '/id',
      '/entityType',
      '/status',
      '/version',
      '/rule/all/0/operator',
      '/rule/all/1/value',
      '/rule/all/2/value',
      '/rule/all/3/any',
      '/rule/all/4/path',
      '/rule/all/5/path',
      '/rule/all/6/value',
      '/rule/all/7/value',
      '/rule/all/8/value',
      '/rule/all/9/value',
      '/rule/all/10/value',
      '/rule/all/11/extra',
      '/rule/all/12',
      '/rule/all/13',
      '/actions',
    ]);
    const byPath = new Map(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath.get('/rule/all/0/operator')).toMatch(/^unknown operator "like"; expected one of equals, /);
    expect(byPath.get('/rule/all/1/value')).toBe('equals needs a value');
    expect(byPath.get('/rule/all/2/value')).toBe('in needs an array of values');
    expect(byPath.get('/rule/all/3/any')).toBe('a group needs at least one condition');
    expect(byPath.get('/rule/all/4/path')).toBe(
      'unsupported quantifier "[0]" in "lines[0].sku": use [any] or [all]'
    );
    expect(byPath.get('/actions')).toMatch(/only execution policies can have actions/);
  });

  it('summarises the first problem in the message', () => {
    expect(() => validatePolicy(makePolicy({ path: 'a', operator: 'equals' }))).toThrow(
      'policy is invalid: /rule/value equals needs a value'
    );
    expect(() => validatePolicy(null)).toThrow(ValidationError);
  });

  it('checks action paths and values', () => {
    const issues = issuesOf(
      makePolicy(
        { path: 'a', operator: 'containsData' },
        {
          kind: 'execution',
          actions: [
            { path: 'lines[any].source', value: 'x' },
            { path: 'lines[all]', value: 'x' },
            { path: '__proto__.polluted', value: true },
            { path: 'ok' },
          ] as never,
        }
      )
    );
    expect(issues).toEqual([
      {
        path: '/actions/0/path',
        message: 'a set-value path cannot use [any]; use [all] to set the value on every element',
      },
      { path: '/actions/1/path', message: 'a set-value path must end with a field name' },
      { path: '/actions/2/path', message: 'field name "__proto__" is not allowed' },
      { path: '/actions/3/value', message: 'is required (null clears a field)' },
    ]);
  });

  it('refuses values that are not JSON', () => {
    const issues = issuesOf(makePolicy({ path: 'a', operator: 'equals', value: Number.NaN }));
    expect(issues).toEqual([
      {
        path: '/rule/value',
        message: 'must be a JSON value (finite numbers, strings, booleans, lists, objects)',
      },
    ]);
  });

  it('bounds the nesting depth', () => {
    let rule: ConditionNode = { path: 'a', operator: 'containsData' };
    for (let i = 0; i < MAX_RULE_DEPTH + 1; i++) rule = { all: [rule] };
    expect(issuesOf(makePolicy(rule))[0]?.message).toBe(`groups nest deeper than ${MAX_RULE_DEPTH} levels`);
  });

  it('bounds the length of a path, naming where it is', () => {
    const path = (fields: number) =>
      Array.from({ length: fields }, (_, i) => (i % 2 ? 'a' : 'l[all]')).join('.');
    expect(() =>
      validatePolicy(makePolicy({ path: path(MAX_PATH_SEGMENTS), operator: 'containsData' }))
    ).not.toThrow();
    expect(issuesOf(makePolicy({ path: path(MAX_PATH_SEGMENTS + 1), operator: 'containsData' }))).toEqual([
      {
        path: '/rule/path',
        message: `a path may have at most ${MAX_PATH_SEGMENTS} fields; this one has ${MAX_PATH_SEGMENTS + 1}`,
      },
    ]);
  });
});
