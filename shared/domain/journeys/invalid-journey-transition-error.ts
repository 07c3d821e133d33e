import { ConflictError } from '../errors';
import type { JourneyStatus } from './journey';

export type JourneyTransition = 'publish' | 'edit' | 'unpublish';

/** A versioning step that the journey's current status does not allow (409: the state is wrong, not the input). */
export class InvalidJourneyTransitionError extends ConflictError {
  readonly currentStatus: JourneyStatus;
  readonly transition: JourneyTransition;

  constructor(
    journeyId: string,
    version: number,
    transition: JourneyTransition,
    currentStatus: JourneyStatus,
    hint: string
  ) {
    super(`cannot ${transition} journey ${journeyId} version ${version}: it is ${currentStatus}; ${hint}`, {
      code: 'invalid-journey-transition',
      extensions: { currentStatus, transition },
    });
    this.currentStatus = currentStatus;
    this.transition = transition;
  }
}
