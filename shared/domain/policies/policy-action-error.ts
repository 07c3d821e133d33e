import { DomainError, type DomainErrorOptions } from '../errors';

/**
 * A set-value action could not be applied to this entity: the path crosses a value that is not an
 * object (e.g. `shipTo.country` when `shipTo` is a string). A data problem, not a policy one: the
 * policy validated, the record does not have the shape it expects.
 */
export class PolicyActionError extends DomainError {
  readonly actionPath: string;

  constructor(message: string, actionPath: string, options?: DomainErrorOptions) {
    super(message, 'policy-action-failed', options);
    this.actionPath = actionPath;
  }
}
