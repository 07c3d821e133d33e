import { ValidationError, type ValidationIssue } from '../errors';
import type { EntityType } from '../events/entity-type';
import type { StateFrameworkConfig } from './state-framework';

export type LineEntityType = 'orderLine' | 'fulfillmentOrderLine';
export type HeaderEntityType = 'order' | 'fulfillmentOrder';

/**
 * "When every counted line of a header is in `lineState`, raise `headerEvent` on the header."
 * Lines in `ignoredLineStates` do not count: a cancelled line must not keep an order from being
 * fulfilled, but an order whose lines are all cancelled is not "fulfilled" either (no counted line,
 * no event).
 */
export interface AggregationRule {
  lineEntityType: LineEntityType;
  lineState: string;
  ignoredLineStates: readonly string[];
  headerEntityType: HeaderEntityType;
  headerEvent: string;
}

const IGNORE_CANCELLED = ['cancelled'] as const;

/**
 * The out-of-box mapping. Only states that mean the same for the header as for every line have a
 * rule: `on hold` has none because held lines carry different reasons (backorder, preorder,
 * validation) the header could not pick between, and an order is not held just because one line is.
 */
export const OUT_OF_BOX_AGGREGATIONS: readonly AggregationRule[] = [
  rule('orderLine', 'in progress', IGNORE_CANCELLED, 'order', 'Validation of Order Lines has Succeeded'),
  rule(
    'orderLine',
    'fulfillment in process',
    IGNORE_CANCELLED,
    'order',
    'Order Header Ready to be Fulfilled'
  ),
  rule('orderLine', 'completed', IGNORE_CANCELLED, 'order', 'Order Fulfilled'),
  rule('orderLine', 'cancelled', [], 'order', 'Order Cancelled'),
  rule(
    'fulfillmentOrderLine',
    'completed',
    IGNORE_CANCELLED,
    'fulfillmentOrder',
    'Fulfillment Order Shipped'
  ),
  rule('fulfillmentOrderLine', 'cancelled', [], 'fulfillmentOrder', 'Fulfillment Order Cancelled'),
];

export interface LineStatus {
  lineId: string;
  /** The line's state after the event was applied. */
  state: string;
}

/** The line event that just moved one line (a `transitioned` result of applyEvent). */
export interface AppliedLineEvent {
  entityType: LineEntityType;
  lineId: string;
  name: string;
  /** The line's state before the event. */
  previousState: string;
}

/** The header event to raise, with the line event that caused it (for the timeline). */
export interface AggregatedEvent {
  entityType: HeaderEntityType;
  name: string;
  /** The state every counted line is now in. */
  lineState: string;
  causedBy: { entityType: LineEntityType; lineId: string; name: string };
}

/**
 * The header event that the line event just applied completes, or null. Edge-triggered: a rule
 * fires only if it holds with the line's new state and did not hold with its previous state, so
 * - the last line to arrive raises the event exactly once (a self-transition changes nothing);
 * - cancelling the last outstanding line raises it too (the rest were already there), but
 *   cancelling a line of a header whose rule already held does not raise it again.
 * `lines` are all lines of the header, the moved one already in its new state.
 */
export function aggregateLineEvent(
  lines: readonly LineStatus[],
  lineEventJustApplied: AppliedLineEvent,
  mapping: readonly AggregationRule[] = OUT_OF_BOX_AGGREGATIONS
): AggregatedEvent | null {
  const applied = lineEventJustApplied;
  checkLines(lines, applied.lineId);
  const before = lines.map((line) =>
    line.lineId === applied.lineId ? { lineId: line.lineId, state: applied.previousState } : line
  );
  for (const rule of mapping) {
    if (rule.lineEntityType !== applied.entityType) continue;
    if (holds(rule, lines) && !holds(rule, before)) {
      return {
        entityType: rule.headerEntityType,
        name: rule.headerEvent,
        lineState: rule.lineState,
        causedBy: { entityType: applied.entityType, lineId: applied.lineId, name: applied.name },
      };
    }
  }
  return null;
}

function holds(rule: AggregationRule, lines: readonly LineStatus[]): boolean {
  const counted = lines.filter((line) => !rule.ignoredLineStates.includes(line.state));
  return counted.length > 0 && counted.every((line) => line.state === rule.lineState);
}

function checkLines(lines: readonly LineStatus[], movedLineId: string): void {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line, index) => {
    const first = seen.get(line.lineId);
    if (first === undefined) seen.set(line.lineId, index);
    else issues.push({ path: `/lines/${index}/lineId`, message: `repeats the lineId of /lines/${first}` });
  });
  if (!seen.has(movedLineId)) {
    issues.push({
      path: '/lineEventJustApplied/lineId',
      message: `line '${movedLineId}' is not among the lines`,
    });
  }
  if (issues.length > 0) throw new ValidationError('Cannot aggregate line states.', issues);
}

/**
 * Problems with a mapping against a configuration: unknown states or events, a header type that
 * does not own the line type, two rules for one line state (which one would fire?).
 */
export function checkAggregationMapping(
  config: StateFrameworkConfig,
  mapping: readonly AggregationRule[]
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const hasState = (entityType: EntityType, name: string): boolean =>
    config.states.some((s) => s.entityType === entityType && s.name === name);
  const seen = new Set<string>();
  mapping.forEach((r, index) => {
    const path = `/${index}`;
    if (HEADER_OF[r.lineEntityType] !== r.headerEntityType) {
      issues.push({
        path: `${path}/headerEntityType`,
        message: `${r.lineEntityType} lines belong to ${HEADER_OF[r.lineEntityType]}`,
      });
    }
    for (const state of [r.lineState, ...r.ignoredLineStates]) {
      if (!hasState(r.lineEntityType, state)) {
        issues.push({ path: `${path}/lineState`, message: `unknown ${r.lineEntityType} state '${state}'` });
      }
    }
    if (!config.events.some((e) => e.entityType === r.headerEntityType && e.name === r.headerEvent)) {
      issues.push({
        path: `${path}/headerEvent`,
        message: `unknown ${r.headerEntityType} event '${r.headerEvent}'`,
      });
    }
    const key = `${r.lineEntityType}|${r.lineState}`;
    if (seen.has(key)) {
      issues.push({ path, message: `a second rule for ${r.lineEntityType} state '${r.lineState}'` });
    }
    seen.add(key);
  });
  return issues;
}

const HEADER_OF: Readonly<Record<LineEntityType, HeaderEntityType>> = {
  orderLine: 'order',
  fulfillmentOrderLine: 'fulfillmentOrder',
};

function rule(
  lineEntityType: LineEntityType,
  lineState: string,
  ignoredLineStates: readonly string[],
  headerEntityType: HeaderEntityType,
  headerEvent: string
): AggregationRule {
  return { lineEntityType, lineState, ignoredLineStates, headerEntityType, headerEvent };
}
