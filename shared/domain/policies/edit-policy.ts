import { InvalidPolicyTransitionError } from './invalid-policy-transition-error';
import type { Policy } from './policy';
import { validatePolicy } from './validate-policy';

/** What an edit may change. Id, kind and entity type stay: journeys reference the policy by id. */
export type PolicyChanges = Partial<Pick<Policy, 'name' | 'criticality' | 'rule' | 'actions'>>;

/**
 * published → a new draft with version + 1 (the published version is untouched and stays in force
 * until the draft is published); draft → the same draft version with the changes. The result is
 * validated (throws ValidationError) and is a fresh, unfrozen copy.
 */
export function editPolicy(policy: Policy, changes: PolicyChanges): Policy {
  if (policy.status === 'archived') {
    const hint = 'edit the published version, or a draft';
    throw new InvalidPolicyTransitionError(policy.id, policy.version, 'edit', policy.status, hint);
  }
  // Only the editable fields are taken from `changes`, whatever else an untyped caller put there.
  const next: Record<string, unknown> = {
    ...policy,
    version: policy.status === 'published' ? policy.version + 1 : policy.version,
    status: 'draft',
  };
  if (changes.name !== undefined) next.name = changes.name;
  if (changes.criticality !== undefined) next.criticality = changes.criticality;
  if (changes.rule !== undefined) next.rule = changes.rule;
  if ('actions' in changes) {
    if (changes.actions === undefined) delete next.actions;
    else next.actions = changes.actions;
  }
  return validatePolicy(next);
}
