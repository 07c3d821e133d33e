import { app, type InvocationContext, type Timer } from '@azure/functions';
import { acknowledgeAlert } from '../shared/app/alerts/acknowledge-alert';
import { evaluateAlerts, evaluateAlertsRequest } from '../shared/app/alerts/evaluate-alerts';
import { listAlerts } from '../shared/app/alerts/list-alerts';
import {
  acknowledgeAlertDeps,
  alertsSchedule,
  evaluateAlertsDeps,
  evaluateAlertsRequestDeps,
  listAlertsDeps,
} from '../shared/app/alerts/wiring';
import { optionalJsonBody, pageBody, pageQuery } from '../shared/http/handler';
import { route } from '../shared/http/route';

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
