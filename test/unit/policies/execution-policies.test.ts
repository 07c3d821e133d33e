import { ValidationError } from '../../../shared/domain/errors';
import {
  applyExecutionPolicy,
  compilePolicy,
  PolicyActionError,
  publishPolicy,
  type ConditionNode,
  type Policy,
  type SetValueAction,
} from '../../../shared/domain/policies';
import { deepFreeze } from '../../../shared/domain/policies/deep-freeze';
import { makePolicy } from './policy-fixtures';

function executionPolicy(
  rule: ConditionNode,
  actions: SetValueAction[],
  overrides: Partial<Policy> = {}
): Policy {
  return makePolicy(rule, { kind: 'execution', actions, ...overrides });
}

const usOrder = () =>
  deepFreeze({
    currency: 'USD',
    shipTo: { country: 'US', city: 'Redmond' },
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ],
  });

describe('applyExecutionPolicy', () => {
  const isUs = { path: 'shipTo.country', operator: 'equals', value: 'US' } as const;

  it('sets values on a copy when the rule holds, without mutating the input', () => {
    const order = usOrder();
    const policy = executionPolicy(isUs, [
      { path: 'company', value: 'usmf' },
      { path: 'shipTo.carrier', value: { id: 'fedex', service: 'ground' } },
      { path: 'lines[all].fulfillmentSource', value: 'wh-redmond' },
      { path: 'billing.account.id', value: 'acct-9' },
    ]);
    const outcome = applyExecutionPolicy(policy, order);
    expect(outcome.passed).toBe(true);
    expect(outcome.critical).toBe(false);
    expect(outcome.applied).toHaveLength(4);
    expect(outcome.entity).toEqual({
      currency: 'USD',
      company: 'usmf',
      shipTo: { country: 'US', city: 'Redmond', carrier: { id: 'fedex', service: 'ground' } },
      lines: [
        { sku: 'A', quantity: 1, fulfillmentSource: 'wh-redmond' },
        { sku: 'B', quantity: 2, fulfillmentSource: 'wh-redmond' },
      ],
      billing: { account: { id: 'acct-9' } },
    });
    expect(order).toEqual(usOrder());
    expect(outcome.entity.currency).toBe('USD');
  });

  it('does not act when the rule fails; critical only when the policy is', () => {
    const order = { ...usOrder(), shipTo: { country: 'DE' } };
    const actions = [{ path: 'company', value: 'usmf' }];
    const info = applyExecutionPolicy(executionPolicy(isUs, actions), order);
    expect(info).toMatchObject({ passed: false, critical: false, criticality: 'information', applied: [] });
    expect(info.entity).toBe(order);
    expect(info.explanation.text).toBe('shipTo.country equals "US" failed: actual "DE"');
    const critical = applyExecutionPolicy(executionPolicy(isUs, actions, { criticality: 'critical' }), order);
    expect(critical).toMatchObject({ passed: false, critical: true, criticality: 'critical' });
  });

  it('applies actions in order, later ones seeing earlier ones', () => {
    const policy = executionPolicy(isUs, [
      { path: 'price', value: 10 },
      { path: 'price', value: 12 },
    ]);
    expect(applyExecutionPolicy(policy, usOrder()).entity).toMatchObject({ price: 12 });
  });

  it('gives each entity its own copy of an object value, even from a published (frozen) policy', () => {
    const policy = publishPolicy(executionPolicy(isUs, [{ path: 'meta', value: { tags: ['a'] } }]));
    const first = applyExecutionPolicy(policy, usOrder()).entity as unknown as { meta: { tags: string[] } };
    first.meta.tags.push('b');
    const second = applyExecutionPolicy(policy, usOrder()).entity as unknown as { meta: { tags: string[] } };
    expect(second.meta.tags).toEqual(['a']);
  });

  it('[all] on a missing list sets nothing', () => {
    const policy = executionPolicy({ path: 'currency', operator: 'containsData' }, [
      { path: 'lines[all].source', value: 'x' },
    ]);
    expect(applyExecutionPolicy(policy, { currency: 'USD' }).entity).toEqual({ currency: 'USD' });
  });

  it('throws PolicyActionError when the entity does not have the expected shape', () => {
    const policy = executionPolicy({ path: 'currency', operator: 'containsData' }, [
      { path: 'shipTo.country', value: 'US' },
    ]);
    expect(() => applyExecutionPolicy(policy, { currency: 'USD', shipTo: 'Redmond' })).toThrow(
      PolicyActionError
    );
    expect(() => applyExecutionPolicy(policy, { currency: 'USD', shipTo: 'Redmond' })).toThrow(
      'cannot set shipTo.country: shipTo is not an object'
    );
  });

  it('refuses a filter policy', () => {
    expect(() => applyExecutionPolicy(makePolicy(isUs), usOrder())).toThrow(ValidationError);
  });

  it('exposes the actions alone through the compiled policy', () => {
    const compiled = compilePolicy(executionPolicy(isUs, [{ path: 'company', value: 'x' }]));
    expect(compiled.applyActions({ a: 1 })).toEqual({ a: 1, company: 'x' });
  });
});
