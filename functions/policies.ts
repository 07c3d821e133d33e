import { createPolicy } from '../shared/app/policies/create-policy';
import { putPolicy } from '../shared/app/policies/put-policy';
import { getPolicy, listPolicies } from '../shared/app/policies/read-policies';
import { policyDeps } from '../shared/app/policies/wiring';
import { jsonBody } from '../shared/http/handler';
import { policiesPath, policyAnswer, policyListAnswer, versionLocation } from '../shared/http/policy-view';
import { route } from '../shared/http/route';
import { ifMatchOf } from '../shared/http/versioned-resource';

/** POST /api/v1/policies: create a policy as draft version 1 (201), 409 when the id exists. */
export const createPolicyHandler = route('createPolicy', 'POST', 'v1/policies', async (request) => {
  const body = await jsonBody(request);
  const stored = await createPolicy(await policyDeps(), body.value);
  return policyAnswer(stored, 201, { location: `${policiesPath}/${encodeURIComponent(stored.policy.id)}` });
});

/** GET /api/v1/policies?status=: the latest version of each policy (of that status). */
export const listPoliciesHandler = route('listPolicies', 'GET', 'v1/policies', async (request) =>
  policyListAnswer(await listPolicies(await policyDeps(), request.query.get('status')))
);

/** GET /api/v1/policies/{id}?version=: the latest version, or the given one. */
export const getPolicyHandler = route('getPolicy', 'GET', 'v1/policies/{id}', async (request) =>
  policyAnswer(await getPolicy(await policyDeps(), request.params.id ?? '', request.query.get('version')))
);

/** PUT /api/v1/policies/{id}: replace the draft (200), or edit a published policy into a new draft version (201). */
export const putPolicyHandler = route('putPolicy', 'PUT', 'v1/policies/{id}', async (request) => {
  const body = await jsonBody(request);
  const result = await putPolicy(await policyDeps(), request.params.id ?? '', body.value, ifMatchOf(request));
  return result.newVersion
    ? policyAnswer(result.stored, 201, { location: versionLocation(result.stored) })
    : policyAnswer(result.stored);
});
