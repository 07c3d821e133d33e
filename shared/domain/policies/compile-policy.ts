import { compileCondition } from './compile-condition';
import { compileSetValueAction } from './compile-set-value-action';
import { compilePredicate, type Predicate } from './generate-predicate';
import type { Policy, PolicyEntity } from './policy';
import type { PolicyExplanation } from './policy-explanation';
import { validatePolicy } from './validate-policy';

export interface PolicyEvaluation {
  readonly passed: boolean;
  readonly explanation: PolicyExplanation;
}

export interface CompiledPolicy {
  /** The policy as given (the compiled code was built from a validated snapshot of it). */
  readonly policy: Policy;
  /** The verdict alone: the fast path, for callers that do not log why. */
  test(entity: PolicyEntity): boolean;
  /** The verdict with the explanation of which condition (and list element) decided it. */
  evaluate(entity: PolicyEntity): PolicyEvaluation;
  /** Applies every set-value action, in order, to a copy of the entity; does not look at the rule. */
  applyActions<T extends PolicyEntity>(entity: T): T;
}

/**
 * Published versions are deep-frozen (publishPolicy), so their compiled form can be kept: the cache is
 * keyed by the policy object and lets go of it with the policy. Drafts can change, so they are compiled
 * on every call.
 */
const compiledVersions = new WeakMap<Policy, CompiledPolicy>();

/**
 * Validates the policy (throws ValidationError) and compiles it once: the explanation and the actions
 * into closures, the verdict alone (on the first `test`) into generated code (generate-predicate.ts), so
 * that evaluating runs prepared code rather than walking the JSON tree.
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const cached = compiledVersions.get(policy);
  if (cached !== undefined) return cached;

  const checked = validatePolicy(policy);
  const rule = compileCondition(checked.rule, '/rule');
  const setters = (checked.actions ?? []).map(compileSetValueAction);
  // Generated on first use: evaluatePolicy compiles a draft on every call and only explains.
  let predicate: Predicate | undefined;
  const compiled: CompiledPolicy = {
    policy,
    test: (entity) => (predicate ??= compilePredicate(checked.rule))(entity),
    evaluate: (entity) => {
      const explanation = rule.explain(entity);
      return { passed: explanation.passed, explanation };
    },
    applyActions: <T extends PolicyEntity>(entity: T): T =>
      setters.reduce((current, set) => set(current), entity),
  };
  if (Object.isFrozen(policy) && Object.isFrozen(policy.rule)) compiledVersions.set(policy, compiled);
  return compiled;
}
