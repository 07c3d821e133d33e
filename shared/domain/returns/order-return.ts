import { ConflictError, ValidationError, type ValidationIssue } from '../errors';
import type { RaisedBusinessEvent } from '../events/business-event';
import type { JourneyRef } from '../journeys/journey-signal';
import type { Order } from '../orders/order';
import type { TimelineEntry } from '../orders/timeline';
import { applyEvent } from '../states/apply-event';
import { initialStateOf } from '../states/out-of-box';
import type { StateFrameworkConfig } from '../states/state-framework';

/** What happens to returned units after inspection: back on hand, or written off. */
export type Disposition = 'restock' | 'writeOff';
export const DISPOSITIONS: readonly Disposition[] = ['restock', 'writeOff'];

export interface ReturnLine {
  /** The order line returned. */
  lineId: string;
  sku: string;
  quantity: number;
  reason: string;
  /** Set by the inspection (or the provider's refund). */
  disposition?: Disposition;
  /** The disposition was carried out: the units are back on hand, or written off. */
  disposed?: boolean;
}

/** Where the customer sends the goods: the source the return optimizer chose. */
export interface ReturnLocationRef {
  sourceId: string;
  name?: string;
  address?: Record<string, unknown>;
  distanceKm?: number;
}

/**
 * A return (RMA) of lines of one order, in the order's partition of `orders`. Its state moves through
 * the state framework's `return` entity; its events go on the order's timeline.
 */
export interface OrderReturn {
  id: string;
  type: 'return';
  orderId: string;
  state: string;
  stateReason?: string;
  lines: ReturnLine[];
  returnLocation: ReturnLocationRef;
  /** `api`, or the provider instance the return came from. */
  origin: string;
  /** The provider's id of the refund or return it came from. */
  externalId?: string;
  /** The credit note of its refund, once refunded. */
  creditNoteId?: string;
  /**
   * The return journey it runs on (absent: none was published, or the return came from a provider
   * that refunded it already; then its events carry out the refund and dispositions themselves).
   */
  journey?: JourneyRef;
  /** Event ids applied (the idempotency of `POST .../events`). */
  appliedEventIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** The state a return is created in (the `return` seed's initial state). */
export const RETURN_INITIAL_STATE = initialStateOf('return');

/** A requested return line, as `POST /api/v1/returns` takes it. */
export interface ReturnLineRequest {
  lineId: string;
  quantity: number;
  reason: string;
}

/** Units per order line id. */
export type LineQuantities = Readonly<Record<string, number>>;

/** A return that no longer holds its units (they may be returned again). */
export function isCancelledReturn(r: Pick<OrderReturn, 'state'>): boolean {
  return r.state === 'cancelled';
}

/** Units returned per order line by the returns that are not cancelled. */
export function returnedQuantities(returns: readonly Pick<OrderReturn, 'state' | 'lines'>[]): LineQuantities {
  const returned: Record<string, number> = {};
  for (const r of returns) {
    if (isCancelledReturn(r)) continue;
    for (const line of r.lines) returned[line.lineId] = (returned[line.lineId] ?? 0) + line.quantity;
  }
  return returned;
}

/** What may still be returned of each line: shipped − returned (by returns not cancelled), never below 0. */
export function returnableQuantities(shipped: LineQuantities, returned: LineQuantities): LineQuantities {
  const left: Record<string, number> = {};
  for (const [lineId, units] of Object.entries(shipped)) {
    left[lineId] = Math.max(0, units - (returned[lineId] ?? 0));
  }
  return left;
}

/**
 * Checks the requested lines against the order and what is returnable: each a line of the order,
 * named once, for no more than shipped and not yet returned. A ValidationError names every offending
 * path (`/lines/0/quantity`: "is more than the 1 shipped and not yet returned").
 */
export function checkReturnLines(
  order: Pick<Order, 'orderId' | 'lines'>,
  returnable: LineQuantities,
  requested: readonly ReturnLineRequest[]
): ReturnLine[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  requested.forEach((line, index) => {
    const orderLine = order.lines.find((candidate) => candidate.lineId === line.lineId);
    if (orderLine === undefined) {
      issues.push({ path: `/lines/${index}/lineId`, message: `is not a line of order ${order.orderId}` });
    } else if (seen.has(line.lineId)) {
      issues.push({ path: `/lines/${index}/lineId`, message: 'repeats an earlier line' });
    } else {
      const left = returnable[line.lineId] ?? 0;
      if (line.quantity > left) {
        issues.push({
          path: `/lines/${index}/quantity`,
          message: `is more than the ${left} shipped and not yet returned`,
        });
      }
    }
    seen.add(line.lineId);
  });
  if (issues.length > 0) throw new ValidationError('The return lines are not valid.', issues);
  return requested.map((line) => ({
    lineId: line.lineId,
    sku: order.lines.find((candidate) => candidate.lineId === line.lineId)!.sku,
    quantity: line.quantity,
    reason: line.reason,
  }));
}

/**
 * The dispositions an inspection gives: each named line (a line of the return, named once) its
 * disposition; lines it does not name are restocked. A ValidationError names the bad paths.
 */
export function withDispositions(
  r: Pick<OrderReturn, 'id' | 'lines'>,
  given: readonly { lineId: string; disposition: Disposition }[]
): ReturnLine[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  given.forEach((line, index) => {
    if (!r.lines.some((candidate) => candidate.lineId === line.lineId)) {
      issues.push({ path: `/lines/${index}/lineId`, message: `is not a line of return ${r.id}` });
    } else if (seen.has(line.lineId)) {
      issues.push({ path: `/lines/${index}/lineId`, message: 'repeats an earlier line' });
    }
    seen.add(line.lineId);
  });
  if (issues.length > 0) throw new ValidationError('The inspection is not valid.', issues);
  return r.lines.map((line) => {
    if (line.disposition !== undefined) return line; // an earlier inspection's word stands
    const named = given.find((candidate) => candidate.lineId === line.lineId);
    return { ...line, disposition: named?.disposition ?? 'restock' };
  });
}

/** The return's events as the API names them, and the business events they raise. */
export const RETURN_EVENT_NAMES = {
  received: 'Return Received',
  inspected: 'Return Inspected',
  refunded: 'Return Refunded',
  cancelled: 'Return Cancelled',
} as const;
export type ReturnEventType = keyof typeof RETURN_EVENT_NAMES;

export interface RaiseOnReturnResult {
  orderReturn: OrderReturn;
  timeline: TimelineEntry[];
  raised: RaisedBusinessEvent[];
}

/**
 * Raises a business event on a return through the state framework: a transition moves its state, an
 * event without return transitions leaves it (and is still on the order's timeline), a refused one
 * throws TransitionNotAllowedError. Pure; the input is unchanged.
 */
export function raiseOnReturn(
  current: OrderReturn,
  event: { id: string; name: string; detail?: string; data?: Record<string, unknown> },
  config: StateFrameworkConfig,
  now: Date
): RaiseOnReturnResult {
  const r = structuredClone(current);
  const fromState = r.state;
  const result = applyEvent(config, { entityType: 'return', currentState: fromState, event: event.name });
  if (result.kind === 'transitioned') {
    r.state = result.state;
    if (result.reason) r.stateReason = result.reason;
    else delete r.stateReason;
  }
  const at = now.toISOString();
  r.updatedAt = at;
  const entry: TimelineEntry = {
    id: `${r.orderId}:event:${event.id}`,
    type: 'timeline',
    orderId: r.orderId,
    at,
    kind: 'event',
    name: event.name,
    entityType: 'return',
    entityId: r.id,
    fromState,
    toState: r.state,
    ...(r.stateReason ? { reason: r.stateReason } : {}),
    ...(event.detail ? { detail: event.detail } : {}),
  };
  const raised: RaisedBusinessEvent = {
    id: event.id,
    name: event.name,
    entityType: 'return',
    entityId: r.id,
    orderId: r.orderId,
    occurredAt: at,
    ...(event.data ? { data: event.data } : {}),
  };
  return { orderReturn: r, timeline: [entry], raised: [raised] };
}

/** Refused: the return is cancelled (nothing more happens to it). */
export function assertNotCancelled(r: Pick<OrderReturn, 'id' | 'state'>, what: string): void {
  if (isCancelledReturn(r)) {
    throw new ConflictError(`Return ${r.id} is cancelled: it cannot be ${what}.`, {
      code: 'return-cancelled',
    });
  }
}
