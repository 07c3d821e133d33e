import { CosmosAlertCandidates } from '../../adapters/cosmos/alert-candidates';
import { CosmosAlertRepository } from '../../adapters/cosmos/alert-repository';
import { CosmosAlertRuleRepository } from '../../adapters/cosmos/alert-rule-repository';
import { getAlertsSchedule } from '../../config';
import type { AlertRuleInput } from '../../domain/alerts/alert-rule';
import type { AlertCandidateSource, AlertRepository, AlertRuleRepository } from '../../ports/alerts';
import {
  alertAcknowledgeSchema,
  alertEvaluateSchema,
  alertListQuerySchema,
  alertRouteSchema,
  alertRuleInputSchema,
  alertRuleRouteSchema,
} from '../../schemas/alert.schema';
import { compileValidator } from '../../schemas/validator';
import { queueEmail } from '../email/queue-email';
import { queueEmailDeps } from '../email/wiring';
import { getBusinessEventPublisher } from '../events/wiring';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import type { AcknowledgeAlertDeps } from './acknowledge-alert';
import type { AlertRuleDeps, AlertRuleValidators } from './alert-rules';
import type { EvaluateAlertsDeps, EvaluateAlertsRequestDeps } from './evaluate-alerts';
import type { AlertListQuery, ListAlertsDeps } from './list-alerts';

/** How many overdue entities one rule looks at per evaluation (newest first). */
const candidateLimit = 200;

/** Alert rules in `config` (partition `alert-rule`): configuration export enrols this repository. */
export async function getAlertRuleRepository(): Promise<AlertRuleRepository> {
  return new CosmosAlertRuleRepository(await getContainer('config'), getClock());
}

/** Raised alerts in `jobs` (partition `alert`). */
export async function getAlertRepository(): Promise<AlertRepository> {
  return new CosmosAlertRepository(await getContainer('jobs'), getClock());
}

async function getAlertCandidates(): Promise<AlertCandidateSource> {
  return new CosmosAlertCandidates(
    {
      orders: await getContainer('orders'),
      inventory: await getContainer('inventory'),
      jobs: await getContainer('jobs'),
    },
    getClock()
  );
}

function getAlertValidators() {
  return memo('validators:alerts', () => ({
    rules: {
      route: compileValidator<{ id: string }>(alertRuleRouteSchema, 'alert rule id'),
      body: compileValidator<AlertRuleInput>(alertRuleInputSchema, 'alert rule'),
    } satisfies AlertRuleValidators,
    route: compileValidator<{ alertId: string }>(alertRouteSchema, 'alert id'),
    acknowledge: compileValidator<{ by?: string; note?: string }>(alertAcknowledgeSchema, 'acknowledgement'),
    list: compileValidator<AlertListQuery>(alertListQuerySchema, 'alert query'),
    evaluate: compileValidator<{ at?: string }>(alertEvaluateSchema, 'evaluation request'),
  }));
}

/** What the alert rule routes need. */
export async function alertRuleDeps(): Promise<AlertRuleDeps> {
  return { validators: getAlertValidators().rules, rules: await getAlertRuleRepository(), clock: getClock() };
}

/** What evaluateAlerts needs: rules, alerts, the candidate queries, the outbox and the event publisher. */
export async function evaluateAlertsDeps(): Promise<EvaluateAlertsDeps> {
  const emailDeps = await queueEmailDeps();
  return {
    rules: await getAlertRuleRepository(),
    alerts: await getAlertRepository(),
    candidates: await getAlertCandidates(),
    queueEmail: (input) => queueEmail(emailDeps, input),
    publisher: getBusinessEventPublisher(),
    clock: getClock(),
    candidateLimit,
  };
}

/** What `POST /api/v1/alerts/evaluate` needs: the evaluation's deps and its body's validator. */
export async function evaluateAlertsRequestDeps(): Promise<EvaluateAlertsRequestDeps> {
  return { ...(await evaluateAlertsDeps()), validate: getAlertValidators().evaluate };
}

export async function listAlertsDeps(): Promise<ListAlertsDeps> {
  return { validate: getAlertValidators().list, alerts: await getAlertRepository() };
}

export async function acknowledgeAlertDeps(): Promise<AcknowledgeAlertDeps> {
  const validators = getAlertValidators();
  return {
    validators: { route: validators.route, body: validators.acknowledge },
    alerts: await getAlertRepository(),
    publisher: getBusinessEventPublisher(),
    clock: getClock(),
  };
}

/** The evaluation timer's NCRONTAB (OPENIOM_ALERTS_SCHEDULE, default every minute). */
export function alertsSchedule(): string {
  return getAlertsSchedule();
}
