import type { Journey } from '../domain/journeys/journey';

/** One version of a journey as stored, with its storage version (ETag, opaque) and timestamps. */
export interface StoredJourney {
  journey: Journey;
  etag: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * One write of a journey version: without `etag` the version is created (it must not exist yet);
 * with `etag` it is replaced only if it is still at that storage version.
 */
export interface JourneyWrite {
  journey: Journey;
  etag?: string;
  /** Kept when replacing a version (absent: now). */
  createdAt?: string;
}

/** Journey versions in the `config` container (docs/data.md), one document per (journey id, version). */
export interface JourneyRepository {
  /** Every stored version of one journey, oldest first; empty when the journey does not exist. */
  versions(journeyId: string): Promise<StoredJourney[]>;
  /** Every stored version of every journey, ordered by journey id, then version. */
  all(): Promise<StoredJourney[]>;
  /**
   * Applies the writes atomically (all or none), answering the stored versions in the same order.
   * ConflictError when a version to create exists already; PreconditionFailedError when a version to
   * replace changed (or vanished) since its `etag`.
   */
  write(writes: readonly JourneyWrite[]): Promise<StoredJourney[]>;
}
