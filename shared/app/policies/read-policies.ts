import { NotFoundError } from '../../domain/errors';
import type { PolicyStatus } from '../../domain/policies';
import type { PolicyRepository, StoredPolicy } from '../../ports/policies';
import { parsePolicyStatus, parsePolicyVersion, validatePolicyId } from './policy-requests';

export interface ReadPoliciesDeps {
  policies: PolicyRepository;
}

/** Every version of a policy, oldest first; NotFoundError (`policy-not-found`) when there is none. */
export async function loadPolicyVersions(policies: PolicyRepository, id: string): Promise<StoredPolicy[]> {
  const versions = await policies.versions(id);
  if (versions.length === 0) throw new NotFoundError(`No policy ${id}.`, { code: 'policy-not-found' });
  return versions;
}

/** One version of a policy (`?version=N`), or its latest version. */
export async function getPolicy(
  deps: ReadPoliciesDeps,
  rawId: string,
  rawVersion?: string | null
): Promise<StoredPolicy> {
  const id = validatePolicyId(rawId);
  const version = parsePolicyVersion(rawVersion);
  const versions = await loadPolicyVersions(deps.policies, id);
  if (version === undefined) return versions[versions.length - 1]!;
  const found = versions.find((v) => v.policy.version === version);
  if (found === undefined) {
    throw new NotFoundError(`Policy ${id} has no version ${version}.`, { code: 'policy-version-not-found' });
  }
  return found;
}

/**
 * The latest version of each policy, ordered by id. With `?status=`, the latest version of each
 * policy that has that status (`published`: the versions in force, even when a newer draft exists).
 */
export async function listPolicies(
  deps: ReadPoliciesDeps,
  rawStatus?: string | null
): Promise<StoredPolicy[]> {
  const status: PolicyStatus | undefined = parsePolicyStatus(rawStatus);
  const latest = new Map<string, StoredPolicy>();
  for (const stored of await deps.policies.all()) {
    if (status !== undefined && stored.policy.status !== status) continue;
    const seen = latest.get(stored.policy.id);
    if (seen === undefined || seen.policy.version < stored.policy.version)
      latest.set(stored.policy.id, stored);
  }
  return [...latest.values()].sort((a, b) =>
    a.policy.id < b.policy.id ? -1 : a.policy.id > b.policy.id ? 1 : 0
  );
}
