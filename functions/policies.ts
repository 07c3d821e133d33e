import { app } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import { createPolicy } from '../shared/app/policies/create-policy';
import { evaluateStoredPolicy } from '../shared/app/policies/evaluate-stored-policy';
import { publishLatestPolicy, unpublishPolicyVersion } from '../shared/app/policies/policy-lifecycle';
import { entityTagOf, parseEntityTags } from '../shared/app/common/entity-tags';
import { putPolicy } from '../shared/app/policies/put-policy';
import { getPolicy, listPolicies } from '../shared/app/policies/read-policies';
import { getPolicyRepository } from '../shared/composition';
import type { StoredPolicy } from '../shared/ports/policies';

const policiesPath = '/api/v1/policies';

/** A policy version as the API shows it: the policy with its timestamps. */
function view(stored: StoredPolicy) {
  return { ...stored.policy, createdAt: stored.createdAt, updatedAt: stored.updatedAt };
}

function versionLocation(stored: StoredPolicy): string {
  return `${policiesPath}/${encodeURIComponent(stored.policy.id)}?version=${stored.policy.version}`;
}

/** One version with its ETag. */
function versionResponse(stored: StoredPolicy, status = 200, extraHeaders: Record<string, string> = {}) {
  return {
    status,
    headers: { etag: entityTagOf(stored.etag), ...extraHeaders },
    jsonBody: view(stored),
  };
}

/** POST /api/v1/policies: create a policy as draft version 1 (201), 409 when the id exists. */
export const createPolicyHandler = jsonHandler(async (_request, body) => {
  const stored = await createPolicy({ policies: await getPolicyRepository() }, body);
  const location = `${policiesPath}/${encodeURIComponent(stored.policy.id)}`;
  return versionResponse(stored, 201, { location });
});

/** GET /api/v1/policies?status=: the latest version of each policy (of that status). */
export const listPoliciesHandler = handler(async (request) => {
  const found = await listPolicies({ policies: await getPolicyRepository() }, request.query.get('status'));
  return { jsonBody: { items: found.map(view) } };
});

/** GET /api/v1/policies/{id}?version=: the latest version, or the given one. */
export const getPolicyHandler = handler(async (request) => {
  const stored = await getPolicy(
    { policies: await getPolicyRepository() },
    request.params.id ?? '',
    request.query.get('version')
  );
  return versionResponse(stored);
});

/** PUT /api/v1/policies/{id}: replace the draft (200), or edit a published policy into a new draft version (201). */
export const putPolicyHandler = jsonHandler(async (request, body) => {
  const result = await putPolicy(
    { policies: await getPolicyRepository() },
    request.params.id ?? '',
    body,
    parseEntityTags(request.headers.get('if-match'))
  );
  return result.newVersion
    ? versionResponse(result.stored, 201, { location: versionLocation(result.stored) })
    : versionResponse(result.stored);
});

/** POST /api/v1/policies/{id}/publish: publish the latest draft; the previously published version is archived. */
export const publishPolicyHandler = handler(async (request) => {
  const stored = await publishLatestPolicy(
    { policies: await getPolicyRepository() },
    request.params.id ?? '',
    parseEntityTags(request.headers.get('if-match'))
  );
  return versionResponse(stored);
});

/** POST /api/v1/policies/{id}/unpublish: archive the published version. */
export const unpublishPolicyHandler = handler(async (request) => {
  const stored = await unpublishPolicyVersion(
    { policies: await getPolicyRepository() },
    request.params.id ?? '',
    parseEntityTags(request.headers.get('if-match'))
  );
  return versionResponse(stored);
});

/** POST /api/v1/policies/{id}/evaluate?version=: `{entity}` → `{passed, explanation, version}`; changes nothing. */
export const evaluatePolicyHandler = jsonHandler(async (request, body) => {
  const result = await evaluateStoredPolicy(
    { policies: await getPolicyRepository() },
    request.params.id ?? '',
    body,
    request.query.get('version')
  );
  return { jsonBody: result };
});

app.http('createPolicy', {
  route: 'v1/policies',
  methods: ['POST'],
  authLevel: 'function',
  handler: createPolicyHandler,
});
app.http('listPolicies', {
  route: 'v1/policies',
  methods: ['GET'],
  authLevel: 'function',
  handler: listPoliciesHandler,
});
app.http('getPolicy', {
  route: 'v1/policies/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getPolicyHandler,
});
app.http('putPolicy', {
  route: 'v1/policies/{id}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putPolicyHandler,
});
app.http('publishPolicy', {
  route: 'v1/policies/{id}/publish',
  methods: ['POST'],
  authLevel: 'function',
  handler: publishPolicyHandler,
});
app.http('unpublishPolicy', {
  route: 'v1/policies/{id}/unpublish',
  methods: ['POST'],
  authLevel: 'function',
  handler: unpublishPolicyHandler,
});
app.http('evaluatePolicy', {
  route: 'v1/policies/{id}/evaluate',
  methods: ['POST'],
  authLevel: 'function',
  handler: evaluatePolicyHandler,
});
