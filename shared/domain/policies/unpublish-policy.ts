import { cloneJson } from './clone-json';
import { deepFreeze } from './deep-freeze';
import { InvalidPolicyTransitionError } from './invalid-policy-transition-error';
import type { Policy } from './policy';

/** published → archived (IOM: unpublishing archives a version). The archived version stays frozen. */
export function unpublishPolicy(policy: Policy): Policy {
  if (policy.status !== 'published') {
    const hint =
      policy.status === 'draft' ? 'only a published version can be unpublished' : 'it is already archived';
    throw new InvalidPolicyTransitionError(policy.id, policy.version, 'unpublish', policy.status, hint);
  }
  return deepFreeze({ ...cloneJson(policy), status: 'archived' });
}
