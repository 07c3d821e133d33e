import type { HttpResponseInit } from '@azure/functions';
import { entityTagOf } from '../app/versioned-resources/entity-tags';
import type { StoredPolicy } from '../ports/policies';

export const policiesPath = '/api/v1/policies';

/** A policy version as the API shows it: the policy with its timestamps. */
function policyView(stored: StoredPolicy) {
  return { ...stored.policy, createdAt: stored.createdAt, updatedAt: stored.updatedAt };
}

/** Where one version of a policy is read. */
export function versionLocation(stored: StoredPolicy): string {
  return `${policiesPath}/${encodeURIComponent(stored.policy.id)}?version=${stored.policy.version}`;
}

/** One version with its ETag. */
export function policyAnswer(
  stored: StoredPolicy,
  status = 200,
  extraHeaders: Record<string, string> = {}
): HttpResponseInit {
  return {
    status,
    headers: { etag: entityTagOf(stored.etag), ...extraHeaders },
    jsonBody: policyView(stored),
  };
}

/** The latest version of each policy, as `GET /api/v1/policies` lists them. */
export function policyListAnswer(found: StoredPolicy[]): HttpResponseInit {
  return { jsonBody: { items: found.map(policyView) } };
}
