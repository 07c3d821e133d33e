import {
  compilePolicy,
  evaluatePolicy,
  type ConditionNode,
  type Policy,
} from '../../../shared/domain/policies';

export function makePolicy(rule: ConditionNode, overrides: Partial<Policy> = {}): Policy {
  return {
    id: 'pol-1',
    name: 'Test policy',
    kind: 'filter',
    entityType: 'order',
    criticality: 'information',
    rule,
    version: 1,
    status: 'draft',
    ...overrides,
  };
}

/** The verdict, checked to be the same from the fast path and the explaining path. */
export function holds(rule: ConditionNode, entity: object): boolean {
  const policy = makePolicy(rule);
  const fast = compilePolicy(policy).test(entity);
  const explained = evaluatePolicy(policy, entity);
  expect(explained.explanation.passed).toBe(explained.passed);
  expect(explained.passed).toBe(fast);
  return fast;
}

export function explain(rule: ConditionNode, entity: object): string {
  return evaluatePolicy(makePolicy(rule), entity).explanation.text;
}
