import type { JourneyRef, JourneySignal } from '../journeys/journey-signal';
import type { ExternalReference, Order } from '../orders/order';
import type { FulfillmentOrderEventRaised } from './raised-event';

/**
 * A fulfillment order (FO): what one source ships for one or more orders of one customer to one
 * address (docs/fulfillment-orders.md). States come from the state framework (`fulfillmentOrder`
 * and `fulfillmentOrderLine` entity types); quantities are the detail those states summarize.
 */
export interface FulfillmentOrder {
  id: string;
  type: 'fulfillmentOrder';
  sourceId: string;
  /** The orders whose lines it carries, in the order they joined. */
  orderIds: string[];
  /** Who it ships to: merging keys (see customerKeyOf, shipToKeyOf). */
  customerKey: string;
  shipTo: Order['shipTo'];
  state: string;
  stateReason?: string;
  lines: FulfillmentOrderLine[];
  shipments: Shipment[];
  /** Its ids in other systems (a 3PL's order, a carrier's shipment), one per system. */
  externalReferences?: ExternalReference[];
  /** Ids of the status events already applied: the same id again changes nothing. */
  appliedEventIds: string[];
  /** The fulfillment order journey it runs on (absent: none was published when it was created). */
  journey?: JourneyRef;
  /**
   * Not sent to the provider before this time (createdAt + the batch window), so orders arriving
   * within the window can still join it.
   */
  sendAfter: string;
  /** When its provider received it (absent: not sent). */
  sentAt?: string;
  /**
   * What a change of the FO still has to do elsewhere (order timelines, inventory, journey signals),
   * stored with the change itself so that a retry after a crash finishes it (fulfillment-order-effects).
   */
  pendingEffects?: PendingEffect[];
  createdAt: string;
  updatedAt: string;
}

export interface FulfillmentOrderLine {
  /** `{orderId}:{lineId}`: unique within the FO (an order line appears at most once per FO). */
  id: string;
  orderId: string;
  /** The order line's id. */
  lineId: string;
  sku: string;
  /** Units this source is to ship for the order line. */
  quantity: number;
  state: string;
  stateReason?: string;
  picked: number;
  packed: number;
  shipped: number;
  /** Never more than shipped. */
  delivered: number;
  /** Never more than quantity − shipped. */
  cancelled: number;
  /**
   * The soft reservations holding this line's units, in the order they are drawn: shipping consumes
   * and cancelling releases them first to last (see reservationDraws).
   */
  reservations: LineReservation[];
}

export interface LineReservation {
  reservationId: string;
  quantity: number;
}

/** Units of one reservation an event draws: shipped (consumed) or cancelled (released). */
export interface ReservationDraw {
  reservationId: string;
  sku: string;
  quantity: number;
}

/** An FO or FO line event as it goes on each order's timeline: the raised event with its id. */
export interface IdentifiedFulfillmentOrderEvent extends FulfillmentOrderEventRaised {
  id: string;
}

/** An order-line event an FO change raises on its orders (e.g. `Order Line Sent to Fulfillment`). */
export interface OrderLineEventDue {
  id: string;
  orderId: string;
  lineId: string;
  name: string;
}

/**
 * The work outside the FO document a change of it calls for, kept on the FO until it is done.
 * Every write it makes has an id derived from `id`, so doing it twice has the effect of once.
 */
export interface PendingEffect {
  id: string;
  at: string;
  /** On the timeline of each of their orders, published, and FO header events signalled to its journey. */
  raised: IdentifiedFulfillmentOrderEvent[];
  orderLineEvents: OrderLineEventDue[];
  /** Whether the orders' lines are to be aggregated from their FOs (`raiseOrderProgress`). */
  progress: boolean;
  /** Reservations to consume (shipped: on-hand and softReserved down together) or release. */
  inventory: (ReservationDraw & { kind: 'ship' | 'release'; id: string })[];
  /**
   * Whether header events go to the journeys of the FO and its orders as signals: yes for events
   * from outside (warehouse status events), no for a journey step's own output events.
   */
  signalJourneys: boolean;
  /** The journey start of a new FO. */
  start?: JourneySignal;
}

/**
 * How `quantity` units leaving a line after `used` units already left it (shipped + cancelled) draw
 * on its reservations, first to last. Units beyond the reservations (a line created without one)
 * draw nothing.
 */
export function reservationDraws(
  line: Pick<FulfillmentOrderLine, 'sku' | 'reservations'>,
  used: number,
  quantity: number
): ReservationDraw[] {
  const draws: ReservationDraw[] = [];
  let start = 0;
  for (const r of line.reservations) {
    const end = start + r.quantity;
    const from = Math.max(start, used);
    const to = Math.min(end, used + quantity);
    if (to > from) draws.push({ reservationId: r.reservationId, sku: line.sku, quantity: to - from });
    start = end;
  }
  return draws;
}

export interface Shipment {
  id: string;
  /** The status event that created it, when it had an id. */
  eventId?: string;
  carrier: string;
  trackingNumber: string;
  url?: string;
  shippedAt: string;
  lines: { orderId: string; lineId: string; sku: string; quantity: number }[];
}

/** `{orderId}:{lineId}`, the FO line id and the key of an order line across FOs. */
export function foLineId(orderId: string, lineId: string): string {
  return `${orderId}:${lineId}`;
}

/** A line is open while some of its quantity is neither shipped nor cancelled. */
export function isOpenLine(line: FulfillmentOrderLine): boolean {
  return line.shipped + line.cancelled < line.quantity;
}

/**
 * The customer an order belongs to, for merging: the account id, else the e-mail (case-insensitive),
 * else the order itself (a customer we cannot recognize never shares an FO with another order).
 */
export function customerKeyOf(order: Pick<Order, 'orderId' | 'customer'>): string {
  const account = order.customer.accountId?.trim();
  if (account) return `account:${account}`;
  const email = order.customer.email?.trim().toLowerCase();
  if (email) return `email:${email}`;
  return `order:${order.orderId}`;
}

/**
 * The address as a comparable key: trimmed, case-insensitive, whitespace collapsed; coordinates left
 * out (the same address geocoded twice may differ in the last digit).
 */
export function shipToKeyOf(shipTo: Order['shipTo']): string {
  const norm = (value: string | undefined) => (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return [shipTo.line1, shipTo.line2, shipTo.city, shipTo.state, shipTo.postalCode, shipTo.country]
    .map(norm)
    .join('|');
}
