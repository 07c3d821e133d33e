import { ValidationError, type ValidationIssue } from '../errors';
import type { Order } from '../orders/order';
import { billLine, billTotals, type BilledLine, type LineQuantities } from './bill-line';

/** An invoice of an order (`orders` container, the order's partition). Money in integer minor units. */
export interface Invoice {
  /** `invoice:{key}`: the key makes creating it idempotent. */
  id: string;
  type: 'invoice';
  orderId: string;
  fulfillmentOrderId?: string;
  /** The shipment it bills (an invoice per shipment), when a shipment was billed. */
  shipmentId?: string;
  currency: string;
  lines: InvoiceLine[];
  /** The lines' amounts before tax. */
  subtotal: number;
  /** The lines' tax: each line's share of its order line's tax (lineTaxShare). */
  taxTotal: number;
  /** subtotal + taxTotal. */
  total: number;
  /** Where a "send to invoice" step's provider action delivered it, once per instance and action. */
  deliveries?: InvoiceDelivery[];
  createdAt: string;
  updatedAt: string;
}

/** A line of an invoice. */
export type InvoiceLine = BilledLine;

export interface InvoiceDelivery {
  instanceId: string;
  action: string;
  sentAt: string;
  /** The invoice's id in the receiving system, when it answered one. */
  externalId?: string;
}

/** Whether `invoice` was already delivered by `action` of `instanceId`. */
export function wasDelivered(
  invoice: Pick<Invoice, 'deliveries'>,
  instanceId: string,
  action: string
): boolean {
  return (invoice.deliveries ?? []).some((d) => d.instanceId === instanceId && d.action === action);
}

/** A quantity of one order line to bill. */
export interface BillQuantity {
  lineId: string;
  quantity: number;
}

/** Quantities billed so far per order line id, by every invoice of the order. */
export type BilledQuantities = LineQuantities;

export function invoiceId(key: string): string {
  return `invoice:${key}`;
}

/**
 * What to bill: without `requested`, every line's quantity not yet billed (lines with nothing left
 * are left out); with it, those quantities, or a ValidationError naming each request line
 * (`/lines/0/quantity`) that is not a line of the order, repeats one, or asks more than is left.
 * An empty answer means there is nothing to bill.
 */
export function quantitiesToBill(
  order: Pick<Order, 'orderId' | 'lines'>,
  billed: BilledQuantities,
  requested?: readonly BillQuantity[]
): BillQuantity[] {
  const left = (lineId: string, ordered: number) => Math.max(0, ordered - (billed[lineId] ?? 0));
  if (requested === undefined) {
    return order.lines
      .map((line) => ({ lineId: line.lineId, quantity: left(line.lineId, line.quantity) }))
      .filter((line) => line.quantity > 0);
  }
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  requested.forEach((request, index) => {
    const line = order.lines.find((candidate) => candidate.lineId === request.lineId);
    if (line === undefined) {
      issues.push({ path: `/lines/${index}/lineId`, message: `is not a line of order ${order.orderId}` });
    } else if (seen.has(request.lineId)) {
      issues.push({ path: `/lines/${index}/lineId`, message: 'repeats an earlier line' });
    } else if (request.quantity > left(line.lineId, line.quantity)) {
      issues.push({
        path: `/lines/${index}/quantity`,
        message: `is more than the ${left(line.lineId, line.quantity)} left to bill`,
      });
    }
    seen.add(request.lineId);
  });
  if (issues.length > 0) throw new ValidationError('The invoice lines are not valid.', issues);
  return requested.filter((line) => line.quantity > 0).map(({ lineId, quantity }) => ({ lineId, quantity }));
}

/**
 * The invoice of `quantities` (lines of `order`, checked by quantitiesToBill), at the order's prices,
 * with each line's share of its tax given what `billed` already billed of it.
 */
export function buildInvoice(
  order: Pick<Order, 'orderId' | 'currency' | 'lines'>,
  input: {
    key: string;
    fulfillmentOrderId?: string;
    shipmentId?: string;
    quantities: readonly BillQuantity[];
    billed?: BilledQuantities;
  },
  now: Date
): Invoice {
  const lines = input.quantities.map(({ lineId, quantity }) =>
    billLine(order, lineId, quantity, input.billed?.[lineId] ?? 0)
  );
  const at = now.toISOString();
  return {
    id: invoiceId(input.key),
    type: 'invoice',
    orderId: order.orderId,
    ...(input.fulfillmentOrderId === undefined ? {} : { fulfillmentOrderId: input.fulfillmentOrderId }),
    ...(input.shipmentId === undefined ? {} : { shipmentId: input.shipmentId }),
    currency: order.currency,
    lines,
    ...billTotals(lines),
    createdAt: at,
    updatedAt: at,
  };
}
