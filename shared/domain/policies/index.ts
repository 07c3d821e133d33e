/** The policy engine's public surface; see policy.ts for the rule semantics. */
export * from './policy';
export type { PolicyExplanation, ConditionExplanation, GroupExplanation } from './policy-explanation';
export {
  parsePolicyPath,
  type PathSegment,
  type PathQuantifier,
  type ParsedPolicyPath,
} from './parse-policy-path';
export { validatePolicy, MAX_RULE_DEPTH, MAX_RULE_CONDITIONS, MAX_PATH_SEGMENTS } from './validate-policy';
export { compilePolicy, type CompiledPolicy, type PolicyEvaluation } from './compile-policy';
export { evaluatePolicy } from './evaluate-policy';
export { applyExecutionPolicy, type ExecutionPolicyOutcome } from './apply-execution-policy';
export { publishPolicy } from './publish-policy';
export { editPolicy, type PolicyChanges } from './edit-policy';
export { unpublishPolicy } from './unpublish-policy';
export { InvalidPolicyTransitionError, type PolicyTransition } from './invalid-policy-transition-error';
export { PolicyActionError } from './policy-action-error';
