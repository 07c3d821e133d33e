import {
  alertCloudEvent,
  alertEmailKey,
  alertEmailModel,
  alertIdOf,
  alertRaisedEvent,
  alertRaisedTemplateId,
  newAlert,
  type Alert,
} from '../../domain/alerts/alert';
import { cutoffOf, type AlertRule } from '../../domain/alerts/alert-rule';
import { overdueEntities, type AlertCandidates, type OverdueEntity } from '../../domain/alerts/overdue';
import { errorListNames } from '../../domain/error-lists/error-entry';
import type { AlertCandidateSource, AlertRepository, AlertRuleRepository } from '../../ports/alerts';
import type { Clock } from '../../ports/clock';
import type { BusinessEventPublisher } from '../../ports/orders';
import type { QueueEmailInput } from '../../ports/validators';

export interface EvaluateAlertsDeps {
  rules: AlertRuleRepository;
  alerts: AlertRepository;
  candidates: AlertCandidateSource;
  /** Queues one email in the outbox (queueEmail with its deps): idempotent by key. */
  queueEmail: (input: QueueEmailInput) => Promise<unknown>;
  publisher: BusinessEventPublisher;
  clock: Clock;
  /** The most entities one rule looks at per evaluation (newest overdue first). */
  candidateLimit: number;
}

export interface EvaluationSummary {
  evaluatedAt: string;
  /** Enabled rules evaluated. */
  rules: number;
  /** Alerts raised by this evaluation, newest entity first. */
  raised: Alert[];
  /** Rules (or one entity of a rule) whose evaluation failed; the others went on. */
  failed: { ruleId: string; entityId?: string; detail: string }[];
}

/**
 * One evaluation (the timer's, or `POST /api/v1/alerts/evaluate`): for each enabled rule, reads the
 * candidates its kind needs (bounded by state, cutoff and `candidateLimit`), decides which are
 * overdue at the clock's `now` (or `at`), and raises an alert for each: created if absent, so an
 * entity raises one alert per rule however often this runs. A new alert's emails are queued to the
 * rule's recipients and its `Alert Raised` event published, then it is marked `notifiedAt`; an alert
 * whose notifying was cut short (a crash) is finished by the next evaluation that finds its entity
 * still overdue, with the same outbox keys and event id.
 */
export async function evaluateAlerts(deps: EvaluateAlertsDeps, at?: Date): Promise<EvaluationSummary> {
  const now = at ?? deps.clock.now();
  const rules = (await deps.rules.list()).filter((rule) => rule.enabled);
  const summary: EvaluationSummary = {
    evaluatedAt: now.toISOString(),
    rules: rules.length,
    raised: [],
    failed: [],
  };
  for (const rule of rules) {
    let overdue: OverdueEntity[];
    try {
      overdue = overdueEntities(rule, await candidatesOf(deps, rule, now), now);
    } catch (err) {
      summary.failed.push({ ruleId: rule.id, detail: detailOf(err) });
      continue;
    }
    // One entity's failure (a store or queue refusing) leaves the others to be raised.
    for (const entity of overdue) {
      try {
        const raised = await raiseAlert(deps, rule, entity, now);
        if (raised !== undefined) summary.raised.push(raised);
      } catch (err) {
        summary.failed.push({ ruleId: rule.id, entityId: entity.entityId, detail: detailOf(err) });
      }
    }
  }
  return summary;
}

export interface EvaluateAlertsRequestDeps extends EvaluateAlertsDeps {
  validate: (input: unknown) => { at?: string };
}

/**
 * `POST /api/v1/alerts/evaluate`: one evaluation now, or as of the body's `at` (trying a rule out;
 * tests). Alerts it raises are real: they are stored, mailed and published like the timer's.
 */
export async function evaluateAlertsRequest(
  deps: EvaluateAlertsRequestDeps,
  body: unknown
): Promise<EvaluationSummary> {
  const { at } = deps.validate(body ?? {});
  return evaluateAlerts(deps, at === undefined ? undefined : new Date(at));
}

async function candidatesOf(deps: EvaluateAlertsDeps, rule: AlertRule, now: Date): Promise<AlertCandidates> {
  const cutoff = cutoffOf(rule, now);
  const limit = deps.candidateLimit;
  switch (rule.kind) {
    case 'orderNotSentToFulfillment':
      return { kind: rule.kind, orders: await deps.candidates.ordersBeforeFulfillment(cutoff, limit) };
    case 'fulfillmentOrderNotShipped':
      return {
        kind: rule.kind,
        fulfillmentOrders: await deps.candidates.unshippedFulfillmentOrders(cutoff, limit),
      };
    case 'backorderAged':
      return { kind: rule.kind, holds: await deps.candidates.agedBackorders(cutoff, limit) };
    case 'errorListGrowing':
      return {
        kind: rule.kind,
        lists: await deps.candidates.errorListGrowth(
          rule.list === undefined ? errorListNames : [rule.list],
          cutoff,
          rule.minEntries ?? 1
        ),
      };
  }
}

/** The alert, when this call created it; undefined when it existed (its notifying finished if need be). */
async function raiseAlert(
  deps: EvaluateAlertsDeps,
  rule: AlertRule,
  entity: OverdueEntity,
  now: Date
): Promise<Alert | undefined> {
  const id = alertIdOf(rule.id, entity.entityId);
  const found = await deps.alerts.get(id);
  if (found !== undefined) {
    if (found.alert.notifiedAt === undefined && found.alert.state === 'open')
      await notify(deps, found.alert, now);
    return undefined;
  }
  const alert = newAlert(rule, entity, now);
  if ((await deps.alerts.create(alert)) === 'exists') return undefined;
  await notify(deps, alert, now);
  return alert;
}

/** Queues the emails, publishes `Alert Raised`, then marks the alert notified (each step idempotent). */
async function notify(deps: EvaluateAlertsDeps, alert: Alert, now: Date): Promise<void> {
  const model = alertEmailModel(alert);
  for (const [index, to] of alert.recipients.entries()) {
    await deps.queueEmail({
      key: alertEmailKey(alert, index),
      orderId: alert.id,
      templateId: alertRaisedTemplateId,
      to,
      model,
    });
  }
  await deps.publisher.publish([alertCloudEvent(alert, alertRaisedEvent)]);
  const latest = await deps.alerts.get(alert.id);
  if (latest === undefined || latest.alert.notifiedAt !== undefined) return;
  const at = now.toISOString();
  // Lost to a concurrent write: an acknowledgement (nothing more is due then) or another evaluation
  // that marked it. Either way the emails and the event went out once, under their own ids.
  await deps.alerts.replaceIfMatch({ ...latest.alert, notifiedAt: at, updatedAt: at }, latest.etag);
}

function detailOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
