import type { HttpResponseInit } from '@azure/functions';
import type { JourneyWithVersions } from '../app/journeys/read-journeys';
import { entityTagOf } from '../app/versioned-resources/entity-tags';
import type { StoredJourney } from '../ports/journeys';

export const journeysPath = '/api/v1/journeys';

/** A journey version as the API shows it: the journey with its timestamps. */
function journeyView(stored: StoredJourney) {
  return { ...stored.journey, createdAt: stored.createdAt, updatedAt: stored.updatedAt };
}

/** Where one version of a journey is read. */
export function journeyVersionLocation(stored: StoredJourney): string {
  return `${journeysPath}/${encodeURIComponent(stored.journey.id)}?version=${stored.journey.version}`;
}

/** One version with its ETag (201 with its location when `created`). */
export function journeyAnswer(stored: StoredJourney, created = false): HttpResponseInit {
  return {
    status: created ? 201 : 200,
    headers: {
      etag: entityTagOf(stored.etag),
      ...(created ? { location: journeyVersionLocation(stored) } : {}),
    },
    jsonBody: journeyView(stored),
  };
}

/** `GET /api/v1/journeys/{id}`: the version with its ETag, every version's summary and the one in force. */
export function journeyWithVersionsAnswer(found: JourneyWithVersions): HttpResponseInit {
  return {
    headers: { etag: entityTagOf(found.stored.etag) },
    jsonBody: {
      ...journeyView(found.stored),
      versions: found.versions,
      publishedVersion: found.publishedVersion,
    },
  };
}

/** The latest version of each journey, as `GET /api/v1/journeys` lists them. */
export function journeyListAnswer(found: StoredJourney[]): HttpResponseInit {
  return { jsonBody: { items: found.map(journeyView) } };
}
