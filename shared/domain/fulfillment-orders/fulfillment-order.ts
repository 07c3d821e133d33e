import type { JourneyRef } from '../journeys/journey-signal';
import type { Order } from '../orders/order';

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
  /** Ids of the status events already applied: the same id again changes nothing. */
  appliedEventIds: string[];
  /** The fulfillment order journey it runs on (absent: none was published when it was created). */
  journey?: JourneyRef;
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
