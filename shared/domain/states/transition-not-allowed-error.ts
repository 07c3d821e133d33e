import { ConflictError } from '../errors';
import type { EntityType } from '../events/entity-type';
import { quoteList } from '../events/closest-matches';

/**
 * The event has transitions for this entity type, but none from the entity's current state. A
 * ConflictError (409) because the request is fine and the entity is in the wrong state for it; the
 * fields let the API add them to the problem body.
 */
export class TransitionNotAllowedError extends ConflictError {
  readonly entityType: EntityType;
  readonly event: string;
  readonly currentState: string;
  readonly allowedSourceStates: readonly string[];

  constructor(
    entityType: EntityType,
    event: string,
    currentState: string,
    allowedSourceStates: readonly string[]
  ) {
    super(
      `Business event '${event}' is not allowed for ${entityType} in state '${currentState}'; ` +
        `it applies only in: ${quoteList(allowedSourceStates)}.`,
      { code: 'transition-not-allowed', extensions: { entityType, event, currentState, allowedSourceStates } }
    );
    this.entityType = entityType;
    this.event = event;
    this.currentState = currentState;
    this.allowedSourceStates = allowedSourceStates;
  }
}
