import { compilePolicy, type PolicyEvaluation } from './compile-policy';
import type { Policy, PolicyEntity } from './policy';

/**
 * Does the rule hold for this entity, and why. Compiles on each call unless the policy is a published
 * (frozen) version; callers evaluating a draft many times should keep `compilePolicy(policy)` instead.
 */
export function evaluatePolicy(policy: Policy, entity: PolicyEntity): PolicyEvaluation {
  return compilePolicy(policy).evaluate(entity);
}
