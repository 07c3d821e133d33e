import { createHash } from 'node:crypto';
import type { BusinessCloudEvent } from '../events/cloud-event';
import type { AlertRule, AlertRuleKind, AlertSeverity } from './alert-rule';
import type { AlertEntityType, OverdueEntity } from './overdue';

/**
 * An alert: one entity overdue under one rule (docs/alerts.md). Raised once per (rule, entity): its id
 * derives from both, so raising is a create-if-absent write. `open` until someone acknowledges it;
 * an acknowledged alert stays acknowledged, and the entity never raises it again under that rule.
 */
export type AlertState = 'open' | 'acknowledged';
export const alertStates: readonly AlertState[] = ['open', 'acknowledged'];

export interface Alert {
  /** `alert-{hash of rule id and entity id}`. */
  id: string;
  type: 'alert';
  ruleId: string;
  ruleName: string;
  ruleKind: AlertRuleKind;
  severity: AlertSeverity;
  entityType: AlertEntityType;
  entityId: string;
  orderId?: string;
  state: AlertState;
  message: string;
  details: Readonly<Record<string, unknown>>;
  /** When the entity became overdue. */
  overdueSince: string;
  /** When the evaluation that found it ran (its clock). */
  raisedAt: string;
  /** The rule's recipients when it was raised: one outbox message each. */
  recipients: string[];
  /**
   * When its emails were queued and its `Alert Raised` event published: absent while that is still
   * to do (the next evaluation finishes it; both steps are idempotent).
   */
  notifiedAt?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  acknowledgeNote?: string;
  createdAt: string;
  updatedAt: string;
}

export const alertRaisedEvent = 'Alert Raised';
export const alertAcknowledgedEvent = 'Alert Acknowledged';
export const alertRaisedTemplateId = 'alert-raised';

/** The alert id of (rule, entity): the same pair always gives the same id, whatever the characters. */
export function alertIdOf(ruleId: string, entityId: string): string {
  return `alert-${createHash('sha256').update(`${ruleId}\n${entityId}`).digest('base64url').slice(0, 32)}`;
}

export function newAlert(rule: AlertRule, entity: OverdueEntity, now: Date): Alert {
  const at = now.toISOString();
  return {
    id: alertIdOf(rule.id, entity.entityId),
    type: 'alert',
    ruleId: rule.id,
    ruleName: rule.name,
    ruleKind: rule.kind,
    severity: rule.severity,
    entityType: entity.entityType,
    entityId: entity.entityId,
    ...(entity.orderId === undefined ? {} : { orderId: entity.orderId }),
    state: 'open',
    message: entity.message,
    details: entity.details,
    overdueSince: entity.overdueSince,
    raisedAt: at,
    recipients: [...rule.recipients],
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The alert acknowledged by `by` (with a note); undefined when it was acknowledged already, so a
 * second acknowledgement changes nothing and publishes nothing.
 */
export function acknowledged(
  alert: Alert,
  input: { by?: string; note?: string },
  now: Date
): Alert | undefined {
  if (alert.state === 'acknowledged') return undefined;
  const at = now.toISOString();
  return {
    ...alert,
    state: 'acknowledged',
    acknowledgedAt: at,
    ...(input.by === undefined ? {} : { acknowledgedBy: input.by }),
    ...(input.note === undefined ? {} : { acknowledgeNote: input.note }),
    updatedAt: at,
  };
}

/** The outbox key of the email to the alert's `index`-th recipient: queuing it twice queues it once. */
export function alertEmailKey(alert: Pick<Alert, 'id'>, index: number): string {
  return `${alert.id}:${index}`;
}

/** What the `alert-raised` template renders. */
export function alertEmailModel(alert: Alert): Record<string, unknown> {
  return { alert: { ...alert, entityLabel: entityLabels[alert.entityType] } };
}

const entityLabels: Record<AlertEntityType, string> = {
  order: 'Order',
  fulfillmentOrder: 'Fulfillment order',
  inventoryHold: 'Backorder hold',
  errorList: 'Error list',
};

/**
 * The CloudEvent (structured JSON) of an alert's business event on `business-events`: entity type
 * `alert`, source `/openiom/alerts/{alertId}`, an id derived from the alert and the event, so a
 * re-publish after a retry is recognisably the same event.
 */
export function alertCloudEvent(
  alert: Alert,
  name: typeof alertRaisedEvent | typeof alertAcknowledgedEvent,
  sourcePrefix = '/openiom'
): BusinessCloudEvent {
  const raised = name === alertRaisedEvent;
  return {
    specversion: '1.0',
    type: raised ? 'openiom.alert.alert-raised' : 'openiom.alert.alert-acknowledged',
    source: `${sourcePrefix}/alerts/${alert.id}`,
    id: `${alert.id}:${raised ? 'raised' : 'acknowledged'}`,
    time: raised ? alert.raisedAt : (alert.acknowledgedAt ?? alert.updatedAt),
    subject: `alert/${alert.id}`,
    datacontenttype: 'application/json',
    data: {
      name,
      entityType: 'alert',
      entityId: alert.id,
      ...(alert.orderId === undefined ? {} : { orderId: alert.orderId }),
      data: {
        ruleId: alert.ruleId,
        ruleKind: alert.ruleKind,
        severity: alert.severity,
        subjectType: alert.entityType,
        subjectId: alert.entityId,
        message: alert.message,
        overdueSince: alert.overdueSince,
        ...(raised ? {} : { acknowledgedBy: alert.acknowledgedBy ?? null }),
      },
    },
  };
}
