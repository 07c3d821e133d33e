import { ValidationError } from '../errors';
import { compilePolicy } from './compile-policy';
import type { Policy, PolicyCriticality, PolicyEntity, SetValueAction } from './policy';
import type { PolicyExplanation } from './policy-explanation';

export interface ExecutionPolicyOutcome<T extends PolicyEntity> {
  readonly passed: boolean;
  /** A new entity with the actions applied when the rule held; the same entity otherwise. */
  readonly entity: T;
  readonly explanation: PolicyExplanation;
  /**
   * True when the rule failed and the policy is critical: the journey step must fail. A failed
   * `information` policy gives false: log the explanation and go on.
   */
  readonly critical: boolean;
  readonly criticality: PolicyCriticality;
  /** The actions that were applied, in order: all of them when the rule held, none otherwise. */
  readonly applied: readonly SetValueAction[];
}

/**
 * Runs an execution policy on an entity: evaluates the rule and, only when it holds, applies the
 * set-value actions to a copy. May throw PolicyActionError when the entity's shape does not allow an
 * action (e.g. setting `shipTo.country` where `shipTo` is a string).
 */
export function applyExecutionPolicy<T extends PolicyEntity>(
  policy: Policy,
  entity: T
): ExecutionPolicyOutcome<T> {
  if (policy.kind !== 'execution') {
    const message = `policy ${policy.id} is a ${String(policy.kind)} policy; use evaluatePolicy to decide whether a step runs`;
    throw new ValidationError(message, [{ path: '/kind', message: 'must be execution to apply the policy' }]);
  }
  const compiled = compilePolicy(policy);
  const { passed, explanation } = compiled.evaluate(entity);
  return {
    passed,
    entity: passed ? compiled.applyActions(entity) : entity,
    explanation,
    critical: !passed && policy.criticality === 'critical',
    criticality: policy.criticality,
    applied: passed ? (policy.actions ?? []) : [],
  };
}
