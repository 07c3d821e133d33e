import {
  ConflictError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../domain/errors';
import { editPolicy } from '../../domain/policies';
import type { PolicyRepository, PolicyWrite, StoredPolicy } from '../../ports/policies';
import { conditionMatches, type EntityTagCondition } from '../versioned-resources/entity-tags';
import { draftFromBody, validatePolicyId } from './policy-requests';
import { loadPolicyVersions } from './read-policies';

export interface PutPolicyDeps {
  policies: PolicyRepository;
}

export interface PutPolicyResult {
  stored: StoredPolicy;
  /** True when the edit made a new draft version (the latest was published), false when a draft was replaced. */
  newVersion: boolean;
}

/** Unconditional edits that keep losing races give up after this many tries (409). */
const maxAttempts = 5;

/**
 * `PUT /api/v1/policies/{id}`: the body replaces the editable fields (name, criticality, rule,
 * actions) of the latest version. A draft is replaced in place (same version); a published latest
 * version stays published and in force, and the edit becomes a new draft version + 1. An archived
 * latest version cannot be edited (InvalidPolicyTransitionError, 409). `kind` and `entityType` cannot
 * change: journeys reference the policy by id. With If-Match the latest version must still be at that
 * ETag (PreconditionFailedError otherwise).
 */
export async function putPolicy(
  deps: PutPolicyDeps,
  rawId: string,
  body: unknown,
  ifMatch?: EntityTagCondition
): Promise<PutPolicyResult> {
  const id = validatePolicyId(rawId);
  const draft = draftFromBody(body, 1, id);
  for (let attempt = 1; ; attempt++) {
    const versions = await loadPolicyVersions(deps.policies, id);
    const latest = versions[versions.length - 1]!;
    if (ifMatch !== undefined && !conditionMatches(ifMatch, latest.etag, 'strong')) {
      throw new PreconditionFailedError(
        `Policy ${id} has changed since the version in If-Match; read it again and reapply your change.`
      );
    }
    const fixed: ValidationIssue[] = [];
    if (draft.kind !== latest.policy.kind) {
      fixed.push({ path: '/kind', message: `cannot change (it is ${latest.policy.kind})` });
    }
    if (draft.entityType !== latest.policy.entityType) {
      fixed.push({ path: '/entityType', message: `cannot change (it is ${latest.policy.entityType})` });
    }
    if (fixed.length > 0) throw new ValidationError('The policy is not valid.', fixed);

    const edited = editPolicy(latest.policy, {
      name: draft.name,
      criticality: draft.criticality,
      rule: draft.rule,
      actions: draft.actions,
    });
    const newVersion = edited.version !== latest.policy.version;
    const write: PolicyWrite = newVersion
      ? { policy: edited }
      : { policy: edited, etag: latest.etag, createdAt: latest.createdAt };
    try {
      const [stored] = await deps.policies.write([write]);
      return { stored: stored!, newVersion };
    } catch (err) {
      const raced = err instanceof ConflictError || err instanceof PreconditionFailedError;
      if (!raced) throw err;
      if (ifMatch !== undefined) {
        throw new PreconditionFailedError(`Policy ${id} was changed concurrently; read it again.`, {
          cause: err,
        });
      }
      if (attempt >= maxAttempts) {
        throw new ConflictError(`Policy ${id} is being changed by others; try again.`, { cause: err });
      }
    }
  }
}
