import { app, type InvocationContext, type Timer } from '@azure/functions';
import { acknowledgeAlert } from '../shared/app/alerts/acknowledge-alert';
import {
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  putAlertRule,
} from '../shared/app/alerts/alert-rules';
import { evaluateAlerts, evaluateAlertsRequest } from '../shared/app/alerts/evaluate-alerts';
import { listAlerts } from '../shared/app/alerts/list-alerts';
import {
  acknowledgeAlertDeps,
  alertRuleDeps,
  alertsSchedule,
  evaluateAlertsDeps,
  evaluateAlertsRequestDeps,
  listAlertsDeps,
} from '../shared/app/alerts/wiring';
import { jsonBody, optionalJsonBody, pageBody, pageQuery } from '../shared/http/handler';
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

/** GET /api/v1/alerts?state=&ruleId=&entityId=&top=&continuationToken=: newest raised first. */
export const listAlertsHandler = route('listAlerts', 'GET', 'v1/alerts', async (request) => {
  const { top, ...query } = pageQuery(request, ['state', 'ruleId', 'entityId']);
  const page = await listAlerts(await listAlertsDeps(), query, top);
  return { jsonBody: pageBody(page, (alert) => alert) };
});

/** POST /api/v1/alerts/{alertId}/acknowledge: `{by?, note?}` → the acknowledged alert; idempotent. */
export const acknowledgeAlertHandler = route(
  'acknowledgeAlert',
  'POST',
  'v1/alerts/{alertId}/acknowledge',
  async (request) => ({
    jsonBody: await acknowledgeAlert(
      await acknowledgeAlertDeps(),
      request.params.alertId ?? '',
      await optionalJsonBody(request)
    ),
  })
);

/** POST /api/v1/alerts/evaluate: `{at?}` → one evaluation now (or as of `at`): what it raised. */
export const evaluateAlertsHandler = route(
  'evaluateAlerts',
  'POST',
  'v1/alerts/evaluate',
  async (request) => ({
    jsonBody: await evaluateAlertsRequest(await evaluateAlertsRequestDeps(), await optionalJsonBody(request)),
  })
);

/** The timer: evaluates every enabled rule with the real clock (every minute unless OPENIOM_ALERTS_SCHEDULE says otherwise). */
export async function evaluateAlertsTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const summary = await evaluateAlerts(await evaluateAlertsDeps());
  if (summary.raised.length > 0)
    context.log(`alerts: ${summary.raised.length} raised by ${summary.rules} rules`);
  for (const failure of summary.failed)
    context.warn(`alert rule ${failure.ruleId} failed: ${failure.detail}`);
}

// The schedule is fixed when the app loads (as Azure reads a timer's schedule); a bad value stops the load.
app.timer('evaluateAlertsTimer', { schedule: alertsSchedule(), handler: evaluateAlertsTimer });
