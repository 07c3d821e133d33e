import { PreconditionFailedError } from '../../domain/errors';
import { publishPolicy, unpublishPolicy } from '../../domain/policies';
import type { PolicyRepository, PolicyWrite, StoredPolicy } from '../../ports/policies';
import { conditionMatches, type EntityTagCondition } from '../versioned-resources/entity-tags';
import { validatePolicyId } from './policy-requests';
import { loadPolicyVersions } from './read-policies';

export interface PolicyLifecycleDeps {
  policies: PolicyRepository;
}

/**
 * `POST /api/v1/policies/{id}/publish`: the latest version, which must be a draft, becomes
 * published; the previously published version, if any, is archived in the same atomic write, so
 * exactly one version is ever in force. InvalidPolicyTransitionError (409) when the latest version is
 * not a draft. If-Match applies to the draft being published.
 */
export async function publishLatestPolicy(
  deps: PolicyLifecycleDeps,
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<StoredPolicy> {
  const id = validatePolicyId(rawId);
  const versions = await loadPolicyVersions(deps.policies, id);
  const latest = versions[versions.length - 1]!;
  checkIfMatch(id, latest, ifMatch);
  const published = publishPolicy(latest.policy);
  const writes: PolicyWrite[] = [{ policy: published, etag: latest.etag, createdAt: latest.createdAt }];
  for (const previous of versions) {
    if (previous.policy.status !== 'published') continue;
    writes.push({
      policy: unpublishPolicy(previous.policy),
      etag: previous.etag,
      createdAt: previous.createdAt,
    });
  }
  const [stored] = await deps.policies.write(writes);
  return stored!;
}

/**
 * `POST /api/v1/policies/{id}/unpublish`: the published version is archived (a newer draft, if any,
 * stays a draft). InvalidPolicyTransitionError (409) naming the latest version's status when no
 * version is published. If-Match applies to the published version.
 */
export async function unpublishPolicyVersion(
  deps: PolicyLifecycleDeps,
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<StoredPolicy> {
  const id = validatePolicyId(rawId);
  const versions = await loadPolicyVersions(deps.policies, id);
  const target = versions.find((v) => v.policy.status === 'published') ?? versions[versions.length - 1]!;
  checkIfMatch(id, target, ifMatch);
  const archived = unpublishPolicy(target.policy);
  const [stored] = await deps.policies.write([
    { policy: archived, etag: target.etag, createdAt: target.createdAt },
  ]);
  return stored!;
}

function checkIfMatch(id: string, version: StoredPolicy, ifMatch: EntityTagCondition | undefined): void {
  if (ifMatch !== undefined && !conditionMatches(ifMatch, version.etag, 'strong')) {
    throw new PreconditionFailedError(
      `Policy ${id} version ${version.policy.version} has changed since the version in If-Match; read it again.`
    );
  }
}
