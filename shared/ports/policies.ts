import type { Policy } from '../domain/policies';

/** One version of a policy as stored, with its storage version (ETag, opaque) and timestamps. */
export interface StoredPolicy {
  policy: Policy;
  etag: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * One write of a policy version: without `etag` the version is created (it must not exist yet);
 * with `etag` it is replaced only if it is still at that storage version.
 */
export interface PolicyWrite {
  policy: Policy;
  etag?: string;
  /** Kept when replacing a version (absent: now). */
  createdAt?: string;
}

/** Policy versions in the `config` container (docs/data.md), one document per (policy id, version). */
export interface PolicyRepository {
  /** Every stored version of one policy, oldest first; empty when the policy does not exist. */
  versions(policyId: string): Promise<StoredPolicy[]>;
  /** Every stored version of every policy, ordered by policy id, then version. */
  all(): Promise<StoredPolicy[]>;
  /**
   * Applies the writes atomically (all or none), answering the stored versions in the same order.
   * ConflictError when a version to create exists already; PreconditionFailedError when a version to
   * replace changed (or vanished) since its `etag`.
   */
  write(writes: readonly PolicyWrite[]): Promise<StoredPolicy[]>;
}
