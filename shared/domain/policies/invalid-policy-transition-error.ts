import { ConflictError } from '../errors';
import type { PolicyStatus } from './policy';

export type PolicyTransition = 'publish' | 'edit' | 'unpublish';

/** A versioning step that the policy's current status does not allow (a 409: the state is wrong, not the input). */
export class InvalidPolicyTransitionError extends ConflictError {
  readonly currentStatus: PolicyStatus;
  readonly transition: PolicyTransition;

  constructor(
    policyId: string,
    version: number,
    transition: PolicyTransition,
    currentStatus: PolicyStatus,
    hint: string
  ) {
    super(`cannot ${transition} policy ${policyId} version ${version}: it is ${currentStatus}; ${hint}`, {
      code: 'invalid-policy-transition',
      extensions: { currentStatus, transition },
    });
    this.currentStatus = currentStatus;
    this.transition = transition;
  }
}
