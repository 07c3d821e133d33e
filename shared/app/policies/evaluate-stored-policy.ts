import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import { evaluatePolicy, type PolicyExplanation } from '../../domain/policies';
import type { PolicyRepository, StoredPolicy } from '../../ports/policies';
import { parsePolicyVersion, validatePolicyId } from './policy-requests';
import { loadPolicyVersions } from './read-policies';

export interface EvaluateStoredPolicyDeps {
  policies: PolicyRepository;
}

export interface StoredPolicyEvaluation {
  passed: boolean;
  explanation: PolicyExplanation;
  /** The version that was evaluated. */
  version: number;
}

/**
 * `POST /api/v1/policies/{id}/evaluate` with `{entity}`: does the published version's rule hold for
 * the entity, and why. `?version=N` evaluates that version instead, whatever its status (handy for
 * trying a draft). NotFoundError (`policy-not-published`) when no version is published. Changes nothing.
 */
export async function evaluateStoredPolicy(
  deps: EvaluateStoredPolicyDeps,
  rawId: string,
  body: unknown,
  rawVersion?: string | null
): Promise<StoredPolicyEvaluation> {
  const id = validatePolicyId(rawId);
  const version = parsePolicyVersion(rawVersion);
  const entity = entityOf(body);
  const versions = await loadPolicyVersions(deps.policies, id);
  const chosen = version === undefined ? published(id, versions) : exact(id, versions, version);
  const { passed, explanation } = evaluatePolicy(chosen.policy, entity);
  return { passed, explanation, version: chosen.policy.version };
}

function entityOf(body: unknown): object {
  const issues: ValidationIssue[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    issues.push({ path: '', message: 'expected an object {entity}' });
  } else {
    const fields = body as Record<string, unknown>;
    for (const key of Object.keys(fields))
      if (key !== 'entity') issues.push({ path: `/${key}`, message: 'unknown property' });
    const entity = fields.entity;
    if (entity === undefined) issues.push({ path: '/entity', message: 'is required' });
    else if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) {
      issues.push({ path: '/entity', message: 'must be an object' });
    }
    if (issues.length === 0) return entity as object;
  }
  throw new ValidationError('The evaluation request is not valid.', issues);
}

function published(id: string, versions: StoredPolicy[]): StoredPolicy {
  const found = versions.find((v) => v.policy.status === 'published');
  if (found === undefined) {
    throw new NotFoundError(`Policy ${id} has no published version; publish it or pass ?version=.`, {
      code: 'policy-not-published',
    });
  }
  return found;
}

function exact(id: string, versions: StoredPolicy[], version: number): StoredPolicy {
  const found = versions.find((v) => v.policy.version === version);
  if (found === undefined) {
    throw new NotFoundError(`Policy ${id} has no version ${version}.`, { code: 'policy-version-not-found' });
  }
  return found;
}
