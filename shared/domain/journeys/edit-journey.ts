import { cloneJson } from '../policies/clone-json';
import { InvalidJourneyTransitionError } from './invalid-journey-transition-error';
import type { Journey } from './journey';

/** What an edit may change. Id and type stay: instances and start events are keyed by them. */
export type JourneyChanges = Pick<Journey, 'name' | 'startEvent' | 'steps'>;

/**
 * published → a new draft with version + 1 (the published version is untouched and stays in force
 * until the draft is published); draft → the same draft version with the changes; archived → refused
 * (InvalidJourneyTransitionError, 409), as for policies. A draft may be incomplete: the graph is
 * checked when it is published. The result is a fresh, unfrozen copy.
 */
export function editJourney(journey: Journey, changes: JourneyChanges): Journey {
  if (journey.status === 'archived') {
    const hint = 'edit the published version, or a draft';
    throw new InvalidJourneyTransitionError(journey.id, journey.version, 'edit', journey.status, hint);
  }
  return {
    id: journey.id,
    type: journey.type,
    name: changes.name,
    startEvent: changes.startEvent,
    steps: cloneJson(changes.steps),
    version: journey.status === 'published' ? journey.version + 1 : journey.version,
    status: 'draft',
  };
}
