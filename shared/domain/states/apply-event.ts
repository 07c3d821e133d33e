import { findEvent } from '../events/find-event';
import type { EntityType } from '../events/entity-type';
import type { StateFrameworkConfig } from './state-framework';
import { TransitionNotAllowedError } from './transition-not-allowed-error';

export interface ApplyEventInput {
  entityType: EntityType;
  currentState: string;
  /** The business event's name. */
  event: string;
}

export type ApplyEventResult =
  { kind: 'transitioned'; state: string; reason: string | null } | { kind: 'unchanged' };

/**
 * Raising an event against the state framework (docs/state-framework.md, IOM's rule):
 * - a transition from the current state exists → `transitioned` to its target state and reason;
 * - the event has no transitions for the entity type → `unchanged` (it is recorded on the timeline
 *   and drives journeys, but is not a state change);
 * - it has transitions, none from the current state → TransitionNotAllowedError (a ConflictError
 *   with code `transition-not-allowed`).
 * An event name that is not in the catalogue is a ValidationError even when the framework is off:
 * a misspelt name would otherwise pass silently as "no transition".
 */
export function applyEvent(config: StateFrameworkConfig, input: ApplyEventInput): ApplyEventResult {
  const { entityType, currentState, event } = input;
  findEvent(event, entityType, config.events);
  if (!config.enabled) return { kind: 'unchanged' };
  const candidates = config.transitions.filter((t) => t.entityType === entityType && t.event === event);
  if (candidates.length === 0) return { kind: 'unchanged' };
  const match = candidates.find((t) => t.sourceState === currentState);
  if (match === undefined) {
    throw new TransitionNotAllowedError(
      entityType,
      event,
      currentState,
      candidates.map((t) => t.sourceState)
    );
  }
  return { kind: 'transitioned', state: match.targetState, reason: match.targetReason };
}
