import {
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  putAlertRule,
} from '../shared/app/alerts/alert-rules';
import { alertRuleDeps } from '../shared/app/alerts/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { savedAnswer } from '../shared/http/saved-answer';

const rulesPath = '/api/v1/alert-rules';

/** PUT /api/v1/alert-rules/{id}: create (201) or replace (200) a rule. */
export const putAlertRuleHandler = route('putAlertRule', 'PUT', 'v1/alert-rules/{id}', async (request) => {
  const body = await jsonBody(request);
  const { rule, created } = await putAlertRule(await alertRuleDeps(), request.params.id ?? '', body.value);
  return savedAnswer(rulesPath, rule.id, created, rule);
});

/** GET /api/v1/alert-rules/{id}: the rule, or 404. */
export const getAlertRuleHandler = route('getAlertRule', 'GET', 'v1/alert-rules/{id}', async (request) => ({
  jsonBody: await getAlertRule(await alertRuleDeps(), request.params.id ?? ''),
}));

/** GET /api/v1/alert-rules: `{items}`, ordered by id. */
export const listAlertRulesHandler = route('listAlertRules', 'GET', 'v1/alert-rules', async () => ({
  jsonBody: { items: await listAlertRules(await alertRuleDeps()) },
}));

/** DELETE /api/v1/alert-rules/{id}: 204; 404 when there is no such rule. */
export const deleteAlertRuleHandler = route(
  'deleteAlertRule',
  'DELETE',
  'v1/alert-rules/{id}',
  async (request) => {
    await deleteAlertRule(await alertRuleDeps(), request.params.id ?? '');
    return { status: 204 };
  }
);
