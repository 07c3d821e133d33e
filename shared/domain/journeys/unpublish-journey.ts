import { cloneJson } from '../policies/clone-json';
import { deepFreeze } from '../policies/deep-freeze';
import { InvalidJourneyTransitionError } from './invalid-journey-transition-error';
import type { Journey } from './journey';

/** published → archived: no new instance starts on it; instances in flight finish on it. Stays frozen. */
export function unpublishJourney(journey: Journey): Journey {
  if (journey.status !== 'published') {
    const hint =
      journey.status === 'draft' ? 'only a published version can be unpublished' : 'it is already archived';
    throw new InvalidJourneyTransitionError(journey.id, journey.version, 'unpublish', journey.status, hint);
  }
  return deepFreeze({ ...cloneJson(journey), status: 'archived' });
}
