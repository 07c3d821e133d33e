import {
  ConflictError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../domain/errors';
import { draftJourney } from '../../domain/journeys/draft-journey';
import { editJourney } from '../../domain/journeys/edit-journey';
import type { JourneyWrite, StoredJourney } from '../../ports/journeys';
import { collectIssues } from '../versioned-resources/collect-issues';
import { conditionMatches, type EntityTagCondition } from '../versioned-resources/entity-tags';
import { changedConcurrently } from '../versioned-resources/put-versioned';
import type { JourneyDeps } from './wiring';

export interface PutJourneyResult {
  stored: StoredJourney;
  /** True when a version was created (the first, or a new draft after a published one); false: a draft replaced. */
  created: boolean;
}

/** Unconditional edits that keep losing races give up after this many tries (409). */
const maxAttempts = 5;

/**
 * `PUT /api/v1/journeys/{journeyId}`: a new journey is created as draft version 1; otherwise the body
 * replaces the latest version's name, start event and steps — a draft in place (same version), a
 * published one into a new draft version + 1 while the published one stays in force (editJourney).
 * The type cannot change. With If-Match the latest version must still be at that ETag (412).
 * The body's shape is checked here; the graph is checked when it is published.
 */
export async function putJourney(
  deps: JourneyDeps,
  rawId: string,
  body: unknown,
  ifMatch?: EntityTagCondition
): Promise<PutJourneyResult> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ journeyId: rawId }).journeyId, issues);
  const input = collectIssues(() => deps.validators.body(body), issues);
  const draft =
    input === undefined ? undefined : collectIssues(() => draftJourney(id ?? rawId, input, 1), issues);
  if (issues.length > 0 || id === undefined || draft === undefined) {
    throw new ValidationError('The journey is not valid.', issues);
  }
  for (let attempt = 1; ; attempt++) {
    const versions = await deps.journeys.versions(id);
    const latest = versions[versions.length - 1];
    if (ifMatch !== undefined && !conditionMatches(ifMatch, latest?.etag, 'strong')) {
      throw latest === undefined
        ? new PreconditionFailedError(`Journey ${id} does not exist, so no If-Match can match it.`)
        : changedConcurrently(`Journey ${id}`);
    }
    if (latest !== undefined && latest.journey.type !== draft.type) {
      throw new ValidationError('The journey is not valid.', [
        { path: '/type', message: `cannot change (it is ${latest.journey.type})` },
      ]);
    }
    const next = latest === undefined ? draft : editJourney(latest.journey, draft);
    const created = latest === undefined || next.version !== latest.journey.version;
    const write: JourneyWrite = created
      ? { journey: next }
      : { journey: next, etag: latest.etag, createdAt: latest.createdAt };
    try {
      const [stored] = await deps.journeys.write([write]);
      return { stored: stored!, created };
    } catch (err) {
      const raced = err instanceof ConflictError || err instanceof PreconditionFailedError;
      if (!raced) throw err;
      if (ifMatch !== undefined) throw changedConcurrently(`Journey ${id}`);
      if (attempt >= maxAttempts) {
        throw new ConflictError(`Journey ${id} is being changed by others; try again.`, { cause: err });
      }
    }
  }
}
