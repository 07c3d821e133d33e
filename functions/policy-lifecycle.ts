import { evaluateStoredPolicy } from '../shared/app/policies/evaluate-stored-policy';
import { publishLatestPolicy, unpublishPolicyVersion } from '../shared/app/policies/policy-lifecycle';
import { policyDeps } from '../shared/app/policies/wiring';
import { jsonBody } from '../shared/http/handler';
import { policyAnswer } from '../shared/http/policy-view';
import { route } from '../shared/http/route';
import { ifMatchOf } from '../shared/http/versioned-resource';

/** POST /api/v1/policies/{id}/publish: publish the latest draft; the previously published version is archived. */
export const publishPolicyHandler = route(
  'publishPolicy',
  'POST',
  'v1/policies/{id}/publish',
  async (request) =>
    policyAnswer(await publishLatestPolicy(await policyDeps(), request.params.id ?? '', ifMatchOf(request)))
);

/** POST /api/v1/policies/{id}/unpublish: archive the published version. */
export const unpublishPolicyHandler = route(
  'unpublishPolicy',
  'POST',
  'v1/policies/{id}/unpublish',
  async (request) =>
    policyAnswer(
      await unpublishPolicyVersion(await policyDeps(), request.params.id ?? '', ifMatchOf(request))
    )
);

/** POST /api/v1/policies/{id}/evaluate?version=: `{entity}` → `{passed, explanation, version}`; changes nothing. */
export const evaluatePolicyHandler = route(
  'evaluatePolicy',
  'POST',
  'v1/policies/{id}/evaluate',
  async (request) => {
    const body = await jsonBody(request);
    const id = request.params.id ?? '';
    return {
      jsonBody: await evaluateStoredPolicy(await policyDeps(), id, body.value, request.query.get('version')),
    };
  }
);
