import { NotFoundError } from '../../domain/errors';
import type { JourneyRepository, StoredJourney } from '../../ports/journeys';
import type { JourneyDeps } from './wiring';

/** One version of a journey with the summary of all its versions, as `GET /api/v1/journeys/{id}` shows it. */
export interface JourneyWithVersions {
  stored: StoredJourney;
  versions: { version: number; status: string; createdAt: string; updatedAt: string }[];
  /** The version in force, null when none is published. */
  publishedVersion: number | null;
}

/** Every version of a journey, oldest first; NotFoundError (`journey-not-found`) when there is none. */
export async function loadJourneyVersions(journeys: JourneyRepository, id: string): Promise<StoredJourney[]> {
  const versions = await journeys.versions(id);
  if (versions.length === 0) throw new NotFoundError(`No journey ${id}.`, { code: 'journey-not-found' });
  return versions;
}

/** The journey id of a route, checked (ValidationError at `/journeyId`). */
export function journeyIdOf(deps: Pick<JourneyDeps, 'validators'>, raw: string): string {
  return deps.validators.route({ journeyId: raw }).journeyId;
}

/** The latest version of a journey, or `?version=N`, with its versions. */
export async function getJourney(
  deps: JourneyDeps,
  rawId: string,
  rawVersion?: string | null
): Promise<JourneyWithVersions> {
  const id = journeyIdOf(deps, rawId);
  const query = deps.validators.query(rawVersion ? { version: rawVersion } : {});
  const versions = await loadJourneyVersions(deps.journeys, id);
  const stored =
    query.version === undefined
      ? versions[versions.length - 1]!
      : versions.find((v) => v.journey.version === Number(query.version));
  if (stored === undefined) {
    throw new NotFoundError(`Journey ${id} has no version ${query.version}.`, {
      code: 'journey-version-not-found',
    });
  }
  return {
    stored,
    versions: versions.map((v) => ({
      version: v.journey.version,
      status: v.journey.status,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
    })),
    publishedVersion: versions.find((v) => v.journey.status === 'published')?.journey.version ?? null,
  };
}

/**
 * The latest version of each journey, ordered by id, of the given `?type=`; with `?status=`, the
 * latest version of each journey that has that status (`published`: the versions in force).
 */
export async function listJourneys(
  deps: JourneyDeps,
  rawType?: string | null,
  rawStatus?: string | null
): Promise<StoredJourney[]> {
  const query = deps.validators.query({
    ...(rawType ? { type: rawType } : {}),
    ...(rawStatus ? { status: rawStatus } : {}),
  });
  const latest = new Map<string, StoredJourney>();
  for (const stored of await deps.journeys.all()) {
    if (query.status !== undefined && stored.journey.status !== query.status) continue;
    if (query.type !== undefined && stored.journey.type !== query.type) continue;
    const seen = latest.get(stored.journey.id);
    if (seen === undefined || seen.journey.version < stored.journey.version)
      latest.set(stored.journey.id, stored);
  }
  return [...latest.values()].sort((a, b) =>
    a.journey.id < b.journey.id ? -1 : a.journey.id > b.journey.id ? 1 : 0
  );
}
