import { ConflictError, NotFoundError, PreconditionFailedError } from '../../domain/errors';
import { conditionMatches, type EntityTagCondition } from './entity-tags';

/** The request's If-Match / If-None-Match, parsed (absent: no condition). */
export interface WritePreconditions {
  ifMatch?: EntityTagCondition;
  ifNoneMatch?: EntityTagCondition;
}

/** A master-data store of versioned documents: read one, create it, or replace it at a version. */
export interface VersionedStore<T> {
  get(key: string): Promise<{ value: T; etag: string } | undefined>;
  create(value: T): Promise<{ value: T; etag: string }>;
  replace(value: T, etag: string): Promise<{ value: T; etag: string }>;
}

export interface PutVersionedResult<T> {
  value: T;
  etag: string;
  created: boolean;
}

/** Unconditional writes that keep losing races give up after this many tries (409). */
const maxAttempts = 5;

/**
 * Creates or replaces the document at `key` with what `build` makes of the current one (PUT of a
 * master-data resource). With If-Match the write happens only if the document is still at one of
 * the given versions, and the check is the storage's own ETag check, so of two editors holding the
 * same version exactly one wins; the other gets PreconditionFailedError. If-None-Match `*` creates
 * only. Without a condition the last writer wins, but what `build` keeps of the current document
 * (createdAt) survives: the write is retried against whatever version it raced with. `what` names the
 * resource in errors, e.g. "Product A-1".
 */
export async function putVersioned<T>(
  store: VersionedStore<T>,
  key: string,
  what: string,
  build: (existing: T | undefined) => T,
  preconditions: WritePreconditions = {}
): Promise<PutVersionedResult<T>> {
  // A race leaves a condition on a specific version (or on absence) unmet; `If-Match: *` only asks that
  // the document exist, which the next attempt checks again.
  const retryable =
    (preconditions.ifMatch === undefined || preconditions.ifMatch.any) &&
    preconditions.ifNoneMatch === undefined;
  for (let attempt = 1; ; attempt++) {
    const existing = await store.get(key);
    checkPreconditions(what, preconditions, existing?.etag);
    // Domain rules run before any write, so a refused document leaves nothing behind.
    const value = build(existing?.value);
    try {
      if (existing === undefined) return { ...(await store.create(value)), created: true };
      return { ...(await store.replace(value, existing.etag)), created: false };
    } catch (err) {
      const raced =
        err instanceof ConflictError ||
        err instanceof PreconditionFailedError ||
        err instanceof NotFoundError;
      if (!raced) throw err;
      // Someone wrote between our read and our write.
      if (!retryable) {
        throw preconditions.ifMatch === undefined
          ? new PreconditionFailedError(`${what} was written concurrently.`, { cause: err })
          : changedConcurrently(what);
      }
      if (attempt >= maxAttempts) {
        throw new ConflictError(`${what} is being changed by others; try again.`, { cause: err });
      }
    }
  }
}

/** Throws PreconditionFailedError when the document at `version` (undefined: absent) fails the request's conditions. */
export function checkPreconditions(
  what: string,
  preconditions: WritePreconditions,
  version: string | undefined
) {
  const { ifMatch, ifNoneMatch } = preconditions;
  if (ifMatch !== undefined && !conditionMatches(ifMatch, version, 'strong')) {
    throw version === undefined
      ? new PreconditionFailedError(`${what} does not exist, so no If-Match can match it.`)
      : changedConcurrently(what);
  }
  if (ifNoneMatch !== undefined && conditionMatches(ifNoneMatch, version, 'weak')) {
    throw new PreconditionFailedError(
      ifNoneMatch.any ? `${what} already exists.` : `${what} is at a version If-None-Match excludes.`
    );
  }
}

/** The refusal of a write whose If-Match version is no longer current. */
export function changedConcurrently(what: string): PreconditionFailedError {
  return new PreconditionFailedError(
    `${what} has changed since the version in If-Match; read it again and reapply your change.`
  );
}
