import type { OrderLine } from '../orders/order';
import { lineTaxShare } from './line-tax-share';

/** Units per order line id, as the invoices (or the credit notes) of an order add them up. */
export type LineQuantities = Readonly<Record<string, number>>;

/** `totals` with the lines of one more invoice or credit note added. */
export function addLineQuantities(
  totals: LineQuantities,
  document: { lines: readonly { lineId: string; quantity: number }[] }
): LineQuantities {
  const next: Record<string, number> = { ...totals };
  for (const line of document.lines) next[line.lineId] = (next[line.lineId] ?? 0) + line.quantity;
  return next;
}

/** One order line's units on an invoice or a credit note, in minor units. */
export interface BilledLine {
  lineId: string;
  sku: string;
  quantity: number;
  /** The order line's unit price; 0 when the line has none (it is still listed). */
  unitPrice: number;
  /** quantity × unitPrice, rounded to a whole minor unit (quantities may be fractional). */
  amount: number;
  /** The share of the order line's tax these units carry (lineTaxShare); 0 without tax. */
  tax: number;
}

/**
 * `quantity` units of the order line `lineId` at its price, with their tax share after `before`
 * units of it went on earlier documents of the same kind (invoices, or credit notes).
 */
export function billLine(
  order: { orderId: string; lines: readonly OrderLine[] },
  lineId: string,
  quantity: number,
  before: number
): BilledLine {
  const line = order.lines.find((candidate) => candidate.lineId === lineId);
  if (line === undefined) throw new Error(`Line ${lineId} is not a line of order ${order.orderId}.`);
  const unitPrice = line.unitPrice ?? 0;
  return {
    lineId,
    sku: line.sku,
    quantity,
    unitPrice,
    amount: Math.round(quantity * unitPrice),
    tax: lineTaxShare(line, before, quantity),
  };
}

/** The totals of billed lines: subtotal (amounts), taxTotal and total = subtotal + taxTotal. */
export function billTotals(lines: readonly BilledLine[]): {
  subtotal: number;
  taxTotal: number;
  total: number;
} {
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const taxTotal = lines.reduce((sum, line) => sum + line.tax, 0);
  return { subtotal, taxTotal, total: subtotal + taxTotal };
}
