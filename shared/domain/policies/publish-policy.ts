import { deepFreeze } from './deep-freeze';
import { InvalidPolicyTransitionError } from './invalid-policy-transition-error';
import type { Policy } from './policy';
import { validatePolicy } from './validate-policy';

/**
 * draft → published. The result is validated and deep-frozen: a published version never changes
 * (journeys that started on it keep evaluating exactly it); a change goes through editPolicy.
 */
export function publishPolicy(policy: Policy): Policy {
  if (policy.status !== 'draft') {
    const hint =
      policy.status === 'published' ? 'it is already published' : 'edit it into a new draft and publish that';
    throw new InvalidPolicyTransitionError(policy.id, policy.version, 'publish', policy.status, hint);
  }
  const checked = validatePolicy({ ...policy, status: 'published' });
  return deepFreeze(checked);
}
