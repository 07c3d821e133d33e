import type { ErrorListName } from '../error-lists/error-entry';
import { afterMs, afterText, type AlertRule } from './alert-rule';

/**
 * Which entities a rule finds overdue at `now`, from candidates the stores answered (already narrowed
 * by state and age, so the rules here decide again: the truth is here, the queries only bound the
 * reading).
 */

/** Order header states before fulfillment orders exist (the seeded order states). */
export const preFulfillmentOrderStates: readonly string[] = ['new', 'in progress', 'on hold'];
/** `fulfillment in process` with one of these reasons: stock is there, fulfillment orders are not yet. */
export const inFulfillmentState = 'fulfillment in process';
export const preFulfillmentReasons: readonly string[] = [
  'inventory check successful',
  'ready to be fulfilled',
];
/** Fulfillment order states with something left to ship (the seeded states before `completed` and `cancelled`). */
export const openFulfillmentOrderStates: readonly string[] = [
  'new',
  'in progress',
  'on hold',
  'fulfillment in process',
];

export interface OrderCandidate {
  orderId: string;
  externalId: string;
  state: string;
  stateReason?: string;
  createdAt: string;
}

export interface FulfillmentOrderCandidate {
  fulfillmentOrderId: string;
  orderIds: string[];
  sourceId: string;
  state: string;
  createdAt: string;
}

export interface BackorderCandidate {
  holdId: string;
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  /** When this hold episode began. */
  heldAt: string;
}

/** Entries added to one error list since the rule's window began (counted up to what the rule needs). */
export interface ErrorListGrowth {
  list: ErrorListName;
  entries: number;
}

export type AlertCandidates =
  | { kind: 'orderNotSentToFulfillment'; orders: readonly OrderCandidate[] }
  | { kind: 'fulfillmentOrderNotShipped'; fulfillmentOrders: readonly FulfillmentOrderCandidate[] }
  | { kind: 'backorderAged'; holds: readonly BackorderCandidate[] }
  | { kind: 'errorListGrowing'; lists: readonly ErrorListGrowth[] };

export type AlertEntityType = 'order' | 'fulfillmentOrder' | 'inventoryHold' | 'errorList';

/** One entity overdue under a rule: what an alert is raised about. */
export interface OverdueEntity {
  entityType: AlertEntityType;
  /** With the rule id, what makes the alert unique (an error list's is the list and its window). */
  entityId: string;
  /** The order concerned, when there is one. */
  orderId?: string;
  /** When it became overdue. */
  overdueSince: string;
  /** One line a person can act on. */
  message: string;
  details: Readonly<Record<string, unknown>>;
}

export function isBeforeFulfillment(order: Pick<OrderCandidate, 'state' | 'stateReason'>): boolean {
  if (preFulfillmentOrderStates.includes(order.state)) return true;
  return order.state === inFulfillmentState && preFulfillmentReasons.includes(order.stateReason ?? '');
}

export function isUnshipped(fulfillmentOrder: Pick<FulfillmentOrderCandidate, 'state'>): boolean {
  return openFulfillmentOrderStates.includes(fulfillmentOrder.state);
}

/** The entities of `candidates` overdue under `rule` at `now`; none when the rule is disabled. */
export function overdueEntities(rule: AlertRule, candidates: AlertCandidates, now: Date): OverdueEntity[] {
  if (!rule.enabled || candidates.kind !== rule.kind) return [];
  switch (candidates.kind) {
    case 'orderNotSentToFulfillment':
      return candidates.orders
        .filter(isBeforeFulfillment)
        .flatMap((order) => aged(rule, order.createdAt, order, now))
        .map(({ since, item }) => ({
          entityType: 'order' as const,
          entityId: item.orderId,
          orderId: item.orderId,
          overdueSince: since,
          message: `Order ${item.externalId} was not sent to fulfillment within ${threshold(rule)} (state ${stateText(item)}).`,
          details: {
            externalId: item.externalId,
            state: item.state,
            stateReason: item.stateReason ?? null,
            createdAt: item.createdAt,
          },
        }));
    case 'fulfillmentOrderNotShipped':
      return candidates.fulfillmentOrders
        .filter(isUnshipped)
        .flatMap((fo) => aged(rule, fo.createdAt, fo, now))
        .map(({ since, item }) => ({
          entityType: 'fulfillmentOrder' as const,
          entityId: item.fulfillmentOrderId,
          ...(item.orderIds[0] === undefined ? {} : { orderId: item.orderIds[0] }),
          overdueSince: since,
          message: `Fulfillment order ${item.fulfillmentOrderId} at ${item.sourceId} has not shipped within ${threshold(rule)} (state ${item.state}).`,
          details: {
            sourceId: item.sourceId,
            orderIds: item.orderIds,
            state: item.state,
            createdAt: item.createdAt,
          },
        }));
    case 'backorderAged':
      return candidates.holds
        .flatMap((hold) => aged(rule, hold.heldAt, hold, now))
        .map(({ since, item }) => ({
          entityType: 'inventoryHold' as const,
          entityId: item.holdId,
          orderId: item.orderId,
          overdueSince: since,
          message: `Line ${item.lineId} of order ${item.orderId} (${item.quantity} x ${item.sku}) has been on backorder for more than ${threshold(rule)}.`,
          details: { lineId: item.lineId, sku: item.sku, quantity: item.quantity, heldAt: item.heldAt },
        }));
    case 'errorListGrowing':
      return growingLists(rule, candidates.lists, now);
  }
}

/**
 * The item with the instant it became overdue (`startedAt` + the threshold), when that is before
 * `now`; none otherwise. An entity exactly at the threshold is not overdue yet.
 */
function aged<T>(rule: AlertRule, startedAt: string, item: T, now: Date): { since: string; item: T }[] {
  if (rule.after === undefined) return [];
  const since = Date.parse(startedAt) + afterMs(rule.after);
  return Number.isNaN(since) || since >= now.getTime()
    ? []
    : [{ since: new Date(since).toISOString(), item }];
}

function threshold(rule: AlertRule): string {
  return rule.after === undefined ? '' : afterText(rule.after);
}

function stateText(order: OrderCandidate): string {
  return order.stateReason === undefined ? order.state : `${order.state}: ${order.stateReason}`;
}

/**
 * Lists that got `minEntries` or more entries within the last `withinMinutes`. Windows are counted
 * from `now` but an alert belongs to the fixed window of that length that `now` falls in (aligned to
 * the epoch): a list that keeps growing raises at most one alert per window.
 */
function growingLists(rule: AlertRule, lists: readonly ErrorListGrowth[], now: Date): OverdueEntity[] {
  const minEntries = rule.minEntries ?? 1;
  const windowMs = (rule.withinMinutes ?? 1) * 60_000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
  return lists
    .filter(
      (growth) => (rule.list === undefined || growth.list === rule.list) && growth.entries >= minEntries
    )
    .map((growth) => ({
      entityType: 'errorList' as const,
      entityId: `${growth.list}@${windowStart}`,
      overdueSince: now.toISOString(),
      message: `The ${growth.list} error list got ${growth.entries} new entries within ${rule.withinMinutes ?? 1} minutes (alert at ${minEntries}).`,
      details: {
        list: growth.list,
        entries: growth.entries,
        minEntries,
        withinMinutes: rule.withinMinutes ?? 1,
        windowStart,
      },
    }));
}
