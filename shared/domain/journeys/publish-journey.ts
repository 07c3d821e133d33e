import { cloneJson } from '../policies/clone-json';
import { deepFreeze } from '../policies/deep-freeze';
import { InvalidJourneyTransitionError } from './invalid-journey-transition-error';
import type { Journey } from './journey';
import { validateJourney, type JourneyPolicies, type JourneyProviderInstances } from './validate-journey';

/**
 * draft → published. The graph is validated first (ValidationError listing every bad node, see
 * journeyIssues, with the referenced policies and provider instances); the result is deep-frozen: a published version never changes, and instances that
 * started on it finish on it. A change goes through editJourney.
 */
export function publishJourney(
  journey: Journey,
  policies: JourneyPolicies,
  providerInstances: JourneyProviderInstances = new Map()
): Journey {
  if (journey.status !== 'draft') {
    const hint =
      journey.status === 'published'
        ? 'it is already published'
        : 'edit it into a new draft and publish that';
    throw new InvalidJourneyTransitionError(journey.id, journey.version, 'publish', journey.status, hint);
  }
  validateJourney(journey, policies, providerInstances);
  return deepFreeze({ ...cloneJson(journey), status: 'published' });
}
