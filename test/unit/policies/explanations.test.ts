import {
  evaluatePolicy,
  type ConditionExplanation,
  type GroupExplanation,
} from '../../../shared/domain/policies';
import { explain, makePolicy } from './policy-fixtures';

const order = {
  currency: 'USD',
  shipTo: { country: 'DE' },
  lines: [
    { sku: 'A-1', quantity: 2 },
    { sku: 'B-7', quantity: 0 },
    { sku: 'A-3', quantity: 5 },
  ],
};
const us = { path: 'shipTo.country', operator: 'equals', value: 'US' } as const;
const usd = { path: 'currency', operator: 'equals', value: 'USD' } as const;

describe('explanations', () => {
  it('name the condition and the actual value found', () => {
    expect(explain(us, order)).toBe('shipTo.country equals "US" failed: actual "DE"');
    expect(explain(usd, order)).toBe('currency equals "USD" held: actual "USD"');
    expect(explain({ path: 'customer.email', operator: 'containsData' }, order)).toBe(
      'customer.email containsData failed: actual missing'
    );
    expect(explain({ path: 'currency', operator: 'in', value: ['EUR', 'GBP'] }, order)).toBe(
      'currency in ["EUR","GBP"] failed: actual "USD"'
    );
  });

  it('name the line that decided an [all] or [any]', () => {
    expect(explain({ path: 'lines[all].quantity', operator: 'greaterThan', value: 0 }, order)).toBe(
      'lines[all].quantity greaterThan 0 failed: actual 0 at lines[1].quantity'
    );
    expect(explain({ path: 'lines[any].sku', operator: 'beginsWith', value: 'B' }, order)).toBe(
      'lines[any].sku beginsWith "B" held: actual "B-7" at lines[1].sku'
    );
    expect(explain({ path: 'lines[any].sku', operator: 'equals', value: 'Z' }, order)).toBe(
      'lines[any].sku equals "Z" failed: no element of lines matched (3 elements)'
    );
    expect(explain({ path: 'lines[all].sku', operator: 'containsData' }, order)).toBe(
      'lines[all].sku containsData held: all 3 elements of lines matched'
    );
    expect(explain({ path: 'lines[all].sku', operator: 'containsData' }, { lines: [] })).toBe(
      'lines[all].sku containsData held: lines is empty (vacuously true)'
    );
    expect(explain({ path: 'lines[any].sku', operator: 'containsData' }, {})).toBe(
      'lines[any].sku containsData failed: lines is missing'
    );
  });

  it('carry the deciding element as a witness', () => {
    const { explanation } = evaluatePolicy(
      makePolicy({ path: 'lines[all].quantity', operator: 'greaterThan', value: 0 }),
      order
    );
    expect(explanation).toEqual({
      type: 'condition',
      pointer: '/rule',
      passed: false,
      path: 'lines[all].quantity',
      operator: 'greaterThan',
      value: 0,
      witness: { path: 'lines[1].quantity', actual: 0 },
      text: 'lines[all].quantity greaterThan 0 failed: actual 0 at lines[1].quantity',
    });
  });

  it('say which child decided a group', () => {
    expect(explain({ all: [usd, us] }, order)).toBe(
      'all failed at child 1: shipTo.country equals "US" failed: actual "DE"'
    );
    expect(explain({ any: [us, usd] }, order)).toBe(
      'any held at child 1: currency equals "USD" held: actual "USD"'
    );
    expect(
      explain({ all: [usd, { any: [us, { path: 'currency', operator: 'equals', value: 'EUR' }] }] }, order)
    ).toBe('all failed at child 1: any failed: none of 2 held');
    expect(explain({ all: [usd, { path: 'lines', operator: 'containsData' }] }, order)).toBe('all 2 held');
  });

  it('keep only the deciding children, with their JSON pointers', () => {
    const { explanation } = evaluatePolicy(makePolicy({ any: [us, { all: [usd, us] }] }), order);
    const root = explanation as GroupExplanation;
    expect(root.passed).toBe(false);
    expect(root.decidedBy.map((child) => child.pointer)).toEqual(['/rule/any/0', '/rule/any/1']);
    const nested = root.decidedBy[1] as GroupExplanation;
    expect(nested.decidedBy).toHaveLength(1);
    expect((nested.decidedBy[0] as ConditionExplanation).pointer).toBe('/rule/any/1/all/1');
  });
});
