import { ConflictError, ValidationError, type ValidationIssue } from '../errors';
import { aggregateLineEvent } from '../states/aggregate-line-event';
import { applyEvent } from '../states/apply-event';
import type { StateFrameworkConfig } from '../states/state-framework';
import { TransitionNotAllowedError } from '../states/transition-not-allowed-error';
import {
  isOpenLine,
  reservationDraws,
  type ReservationDraw,
  type FulfillmentOrder,
  type FulfillmentOrderLine,
  type Shipment,
} from './fulfillment-order';
import { raisedOnFulfillmentOrder, type FulfillmentOrderEventRaised } from './raised-event';

export const fulfillmentOrderEventTypes = ['picked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;
export type FulfillmentOrderEventType = (typeof fulfillmentOrderEventTypes)[number];

/** A status event from the warehouse or the API (`POST /api/v1/fulfillment-orders/{id}/events`). */
export interface FulfillmentOrderEvent {
  /** When present, the event applies once: the same id again changes nothing. */
  id?: string;
  type: FulfillmentOrderEventType;
  /** Without lines the event applies to every open line's remaining quantity for the step. */
  lines?: readonly { lineId: string; orderId?: string; quantity?: number }[];
  /** Required for `shipped`. */
  tracking?: { carrier: string; number: string; url?: string };
}

/** Units of one order line an event moved (the caller consumes or releases reservations by these). */
export interface OrderLineQuantity {
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
}

/** Units a shipped or cancelled event moved off an order line, and the reservations they draw on. */
export interface OrderLineDraw extends OrderLineQuantity {
  /** The FO line (`{orderId}:{lineId}`). */
  foLineId: string;
  reservations: ReservationDraw[];
}

export interface ApplyFulfillmentOrderEventResult {
  fulfillmentOrder: FulfillmentOrder;
  /** True when the event id was applied before: nothing changed, nothing is raised. */
  duplicate: boolean;
  raised: FulfillmentOrderEventRaised[];
  /** The shipment a `shipped` event created (on a duplicate: the one it created the first time). */
  shipment: Shipment | null;
  shipped: OrderLineDraw[];
  cancelled: OrderLineDraw[];
}

/** The header event whose transitions say whether the FO's state allows the step (none for delivered). */
const HEADER_EVENT: Readonly<Record<FulfillmentOrderEventType, string | null>> = {
  picked: 'Fulfillment Order Picked',
  packed: 'Fulfillment Order Packed',
  shipped: 'Fulfillment Order Shipped',
  delivered: null,
  cancelled: 'Fulfillment Order Cancelled',
};

/** Units of a line the step may still move. Picked and packed are not prerequisites of shipping. */
export function remainingFor(type: FulfillmentOrderEventType, line: FulfillmentOrderLine): number {
  const open = line.quantity - line.cancelled;
  switch (type) {
    case 'picked':
      return isOpenLine(line) ? open - line.picked : 0;
    case 'packed':
      return isOpenLine(line) ? open - line.packed : 0;
    case 'shipped':
    case 'cancelled':
      return line.quantity - line.shipped - line.cancelled;
    case 'delivered':
      return line.shipped - line.delivered;
  }
}

/**
 * Applies a warehouse status event to an FO (docs/fulfillment-orders.md). Pure: the input is
 * unchanged, and on any refusal nothing is returned. Refusals: ValidationError naming the path (an
 * unknown type or line, a quantity that is not a positive integer or more than is left for the step,
 * shipped without tracking, nothing left at all) or TransitionNotAllowedError (a ConflictError) when
 * the state framework does not allow the step in the FO's or a line's state.
 */
export function applyFulfillmentOrderEvent(
  current: FulfillmentOrder,
  event: FulfillmentOrderEvent,
  config: StateFrameworkConfig,
  now: Date
): ApplyFulfillmentOrderEventResult {
  if (event.id !== undefined && current.appliedEventIds.includes(event.id)) {
    return {
      fulfillmentOrder: current,
      duplicate: true,
      raised: [],
      shipment: current.shipments.find((s) => s.eventId === event.id) ?? null,
      shipped: [],
      cancelled: [],
    };
  }
  const fo = structuredClone(current);
  const targets = resolveTargets(fo, event);
  const type = event.type;
  const at = now.toISOString();
  const raised: FulfillmentOrderEventRaised[] = [];

  // The FO's state must allow the step, whether or not this event completes the FO.
  const headerEvent = HEADER_EVENT[type];
  if (headerEvent !== null)
    applyEvent(config, { entityType: 'fulfillmentOrder', currentState: fo.state, event: headerEvent });

  const moved: OrderLineDraw[] = [];
  for (const { line, quantity, path } of targets) {
    const before = { ...line };
    const draws =
      type === 'shipped' || type === 'cancelled'
        ? reservationDraws(line, line.shipped + line.cancelled, quantity)
        : [];
    if (type === 'picked') line.picked += quantity;
    else if (type === 'packed') line.packed += quantity;
    else if (type === 'shipped') line.shipped += quantity;
    else if (type === 'delivered') line.delivered += quantity;
    else line.cancelled += quantity;
    moved.push({
      orderId: line.orderId,
      lineId: line.lineId,
      sku: line.sku,
      quantity,
      foLineId: line.id,
      reservations: draws,
    });
    const lineEvent = lineEventFor(type, before, line);
    if (lineEvent === null) continue;
    const from = line.state;
    const result = withPath(path, () =>
      applyEvent(config, { entityType: 'fulfillmentOrderLine', currentState: from, event: lineEvent })
    );
    if (result.kind === 'transitioned') setState(line, result.state, result.reason);
    raised.push(lineRaised(fo, line, lineEvent, from));
    if (result.kind !== 'transitioned') continue;
    const aggregated = aggregateLineEvent(
      fo.lines.map((l) => ({ lineId: l.id, state: l.state })),
      { entityType: 'fulfillmentOrderLine', lineId: line.id, name: lineEvent, previousState: from }
    );
    if (aggregated) raised.push(raiseOnHeader(fo, aggregated.name, config));
  }
  if (type === 'picked' || type === 'packed') raised.push(raiseOnHeader(fo, headerEvent!, config));

  let shipment: Shipment | null = null;
  if (type === 'shipped') {
    const tracking = event.tracking!;
    shipment = {
      id: `${fo.id}:shipment:${fo.shipments.length + 1}`,
      ...(event.id === undefined ? {} : { eventId: event.id }),
      carrier: tracking.carrier.trim(),
      trackingNumber: tracking.number.trim(),
      ...(tracking.url ? { url: tracking.url } : {}),
      shippedAt: at,
      lines: moved.map(({ orderId, lineId, sku, quantity }) => ({ orderId, lineId, sku, quantity })),
    };
    fo.shipments.push(shipment);
  }
  if (event.id !== undefined) fo.appliedEventIds.push(event.id);
  fo.updatedAt = at;
  return {
    fulfillmentOrder: fo,
    duplicate: false,
    raised,
    shipment,
    shipped: type === 'shipped' ? moved : [],
    cancelled: type === 'cancelled' ? moved : [],
  };
}

interface Target {
  line: FulfillmentOrderLine;
  quantity: number;
  path: string;
}

function resolveTargets(fo: FulfillmentOrder, event: FulfillmentOrderEvent): Target[] {
  const issues: ValidationIssue[] = [];
  const type = event.type;
  if (!(fulfillmentOrderEventTypes as readonly string[]).includes(type)) {
    throw new ValidationError('The fulfillment order event is not valid.', [
      { path: '/type', message: `must be one of ${fulfillmentOrderEventTypes.join(', ')}` },
    ]);
  }
  if (type === 'shipped') {
    const t = event.tracking;
    if (t === undefined || t === null || typeof t !== 'object') {
      issues.push({ path: '/tracking', message: 'a shipped event needs tracking (carrier and number)' });
    } else {
      if (typeof t.carrier !== 'string' || t.carrier.trim() === '')
        issues.push({ path: '/tracking/carrier', message: 'must be a non-empty string' });
      if (typeof t.number !== 'string' || t.number.trim() === '')
        issues.push({ path: '/tracking/number', message: 'must be a non-empty string' });
      if (t.url !== undefined && typeof t.url !== 'string')
        issues.push({ path: '/tracking/url', message: 'must be a string when present' });
    }
  }
  const targets: Target[] = [];
  if (event.lines === undefined) {
    fo.lines.forEach((line, index) => {
      const quantity = remainingFor(type, line);
      if (quantity > 0) targets.push({ line, quantity, path: `/lines/${index}` });
    });
    if (targets.length === 0) {
      issues.push({
        path: '/lines',
        message: `no line of the fulfillment order has anything left to be ${type}`,
      });
    }
  } else {
    if (event.lines.length === 0)
      issues.push({ path: '/lines', message: 'must name at least one line when present' });
    const seen = new Map<string, number>();
    event.lines.forEach((entry, index) => {
      const path = `/lines/${index}`;
      const matches = fo.lines.filter(
        (l) => l.lineId === entry.lineId && (entry.orderId === undefined || l.orderId === entry.orderId)
      );
      if (matches.length === 0) {
        const what =
          entry.orderId === undefined
            ? `line ${entry.lineId}`
            : `line ${entry.lineId} of order ${entry.orderId}`;
        issues.push({ path: `${path}/lineId`, message: `the fulfillment order has no ${what}` });
        return;
      }
      if (matches.length > 1) {
        issues.push({
          path: `${path}/orderId`,
          message: `required: the fulfillment order has line ${entry.lineId} of orders ${matches.map((l) => l.orderId).join(', ')}`,
        });
        return;
      }
      const line = matches[0]!;
      const first = seen.get(line.id);
      if (first !== undefined) {
        issues.push({ path, message: `names the same line as /lines/${first}` });
        return;
      }
      seen.set(line.id, index);
      const left = remainingFor(type, line);
      const quantity = entry.quantity ?? left;
      if (entry.quantity !== undefined && (!Number.isInteger(entry.quantity) || entry.quantity <= 0)) {
        issues.push({ path: `${path}/quantity`, message: 'must be a positive integer' });
      } else if (quantity > left || left === 0) {
        issues.push({
          path: `${path}/quantity`,
          message: `${quantity} is more than the ${left} left to be ${type} (${describe(line)})`,
        });
      } else {
        targets.push({ line, quantity, path });
      }
    });
  }
  if (issues.length > 0) throw new ValidationError(`The ${type} event cannot be applied.`, issues);
  return targets;
}

function describe(line: FulfillmentOrderLine): string {
  return (
    `quantity ${line.quantity}, picked ${line.picked}, packed ${line.packed}, shipped ${line.shipped}, ` +
    `delivered ${line.delivered}, cancelled ${line.cancelled}`
  );
}

/**
 * The line event a step raises: picked and packed always; shipped and cancelled only when they close
 * the line (nothing left to ship) — `Fulfillment Order Line Shipped` if any unit shipped, else
 * `Fulfillment Order Line Cancelled`; a partial step changes quantities only. Delivered has no
 * event in the catalogue.
 */
function lineEventFor(
  type: FulfillmentOrderEventType,
  before: FulfillmentOrderLine,
  after: FulfillmentOrderLine
): string | null {
  if (type === 'picked') return 'Fulfillment Order Line Picked';
  if (type === 'packed') return 'Fulfillment Order Line Packed';
  if (type === 'delivered' || !isOpenLine(before) || isOpenLine(after)) return null;
  return after.shipped > 0 ? 'Fulfillment Order Line Shipped' : 'Fulfillment Order Line Cancelled';
}

function raiseOnHeader(
  fo: FulfillmentOrder,
  name: string,
  config: StateFrameworkConfig
): FulfillmentOrderEventRaised {
  const from = fo.state;
  const result = applyEvent(config, { entityType: 'fulfillmentOrder', currentState: from, event: name });
  if (result.kind === 'transitioned') setState(fo, result.state, result.reason);
  return raisedOnFulfillmentOrder(fo, name, from);
}

function lineRaised(
  fo: FulfillmentOrder,
  line: FulfillmentOrderLine,
  name: string,
  from: string
): FulfillmentOrderEventRaised {
  return {
    entityType: 'fulfillmentOrderLine',
    entityId: line.id,
    fulfillmentOrderId: fo.id,
    orderIds: [line.orderId],
    name,
    fromState: from,
    toState: line.state,
    reason: line.stateReason ?? null,
  };
}

/** A line's refused transition, with the line's path added so the client sees which one. */
function withPath<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    throw new ConflictError(`${err.message} (${path})`, {
      code: err.code,
      extensions: { ...err.extensions, path },
    });
  }
}

function setState(
  target: { state: string; stateReason?: string },
  state: string,
  reason: string | null
): void {
  target.state = state;
  if (reason) target.stateReason = reason;
  else delete target.stateReason;
}
