import type { ErrorListName } from '../error-lists/error-entry';

/**
 * Alert rules (docs/alerts.md): what counts as overdue, who is told, how loudly. Rules are
 * configuration (`config` container, partition `alert-rule`); the evaluation applies them to what
 * the stores answer and raises each alert once per entity and rule.
 */

export const alertRuleKinds = [
  'orderNotSentToFulfillment',
  'fulfillmentOrderNotShipped',
  'backorderAged',
  'errorListGrowing',
] as const;
export type AlertRuleKind = (typeof alertRuleKinds)[number];

export const alertSeverities = ['information', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];
export const defaultAlertSeverity: AlertSeverity = 'warning';

/** How long an entity may wait before it is overdue: exactly one of the units. */
export type AlertAfter = { minutes: number } | { hours: number } | { days: number };

/** The body of `PUT /api/v1/alert-rules/{id}`; keep in step with alertRuleInputSchema. */
export interface AlertRuleInput {
  name: string;
  kind: AlertRuleKind;
  /** Default true: a disabled rule is kept but never evaluated. */
  enabled?: boolean;
  /** Who gets an email when an alert is raised (none: the alert is only listed and published). */
  recipients?: string[];
  severity?: AlertSeverity;
  /** The three age kinds: how old the order, fulfillment order or backorder hold may get. */
  after?: AlertAfter;
  /** errorListGrowing: the list to watch (absent: each list on its own). */
  list?: ErrorListName;
  /** errorListGrowing: this many new entries ... */
  minEntries?: number;
  /** errorListGrowing: ... within this many minutes raise an alert. */
  withinMinutes?: number;
}

export interface AlertRule extends AlertRuleInput {
  id: string;
  enabled: boolean;
  recipients: string[];
  severity: AlertSeverity;
  createdAt: string;
  updatedAt: string;
}

/** The stored rule a PUT makes: defaults filled in, `createdAt` kept from the rule it replaces. */
export function alertRuleOf(
  id: string,
  input: AlertRuleInput,
  existing: AlertRule | undefined,
  now: Date
): AlertRule {
  const at = now.toISOString();
  return {
    ...input,
    id,
    enabled: input.enabled ?? true,
    recipients: input.recipients ?? [],
    severity: input.severity ?? defaultAlertSeverity,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}

const minuteMs = 60_000;

/** The threshold in milliseconds. */
export function afterMs(after: AlertAfter): number {
  if ('minutes' in after) return after.minutes * minuteMs;
  if ('hours' in after) return after.hours * 60 * minuteMs;
  return after.days * 24 * 60 * minuteMs;
}

/** `5 minutes`, `1 hour`, `3 days`: the threshold in words, for messages and emails. */
export function afterText(after: AlertAfter): string {
  const [unit, value] = Object.entries(after)[0] as [string, number];
  return `${value} ${value === 1 ? unit.slice(0, -1) : unit}`;
}

/**
 * The instant before which an entity started is overdue at `now` (age kinds), or from which error
 * list entries count (errorListGrowing): what the stores' bounded queries ask for.
 */
export function cutoffOf(rule: AlertRule, now: Date): Date {
  if (rule.kind === 'errorListGrowing') return new Date(now.getTime() - (rule.withinMinutes ?? 0) * minuteMs);
  if (rule.after === undefined) throw new Error(`Alert rule ${rule.id} has no threshold.`);
  return new Date(now.getTime() - afterMs(rule.after));
}
