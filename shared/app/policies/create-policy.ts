import { ConflictError } from '../../domain/errors';
import type { PolicyRepository, StoredPolicy } from '../../ports/policies';
import { draftFromBody } from './policy-requests';

export interface CreatePolicyDeps {
  policies: PolicyRepository;
}

/**
 * `POST /api/v1/policies`: a new policy as draft version 1. ConflictError (`policy-exists`) when the
 * id is taken; a refused body stores nothing.
 */
export async function createPolicy(deps: CreatePolicyDeps, body: unknown): Promise<StoredPolicy> {
  const draft = draftFromBody(body, 1);
  if ((await deps.policies.versions(draft.id)).length > 0) {
    throw exists(draft.id);
  }
  // Version 1 is created, never replaced: of two concurrent creators exactly one wins (409 for the other).
  try {
    const [stored] = await deps.policies.write([{ policy: draft }]);
    return stored!;
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    throw exists(draft.id, err);
  }
}

function exists(id: string, cause?: unknown): ConflictError {
  return new ConflictError(`A policy ${id} exists already; edit it with PUT.`, {
    code: 'policy-exists',
    ...(cause === undefined ? {} : { cause }),
  });
}
