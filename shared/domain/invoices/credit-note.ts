import type { Order } from '../orders/order';
import { billLine, billTotals, type BilledLine, type LineQuantities } from './bill-line';

/**
 * A credit note: money given back on an order (a refund), in the order's partition of `orders`,
 * listed with its invoices. Money in integer minor units; amounts are positive (what is credited).
 */
export interface CreditNote {
  /** `credit-note:{key}`: the key makes creating it idempotent. */
  id: string;
  type: 'creditNote';
  orderId: string;
  /** The return it refunds. */
  returnId?: string;
  currency: string;
  lines: CreditNoteLine[];
  /** Sum of the lines' amounts (before tax). */
  subtotal: number;
  /** Sum of the lines' tax. */
  taxTotal: number;
  /** subtotal + taxTotal. */
  total: number;
  createdAt: string;
  updatedAt: string;
}

/** A line of a credit note. */
export type CreditNoteLine = BilledLine;

/** Units credited so far per order line id, by every credit note of the order. */
export type CreditedQuantities = LineQuantities;

export function creditNoteId(key: string): string {
  return `credit-note:${key}`;
}

/**
 * The credit note of `quantities` of the order's lines at the order's prices, each line's tax its
 * share for those units after what earlier credit notes credited (`credited`). A line credited past
 * its quantity (which the return rules prevent) gets no more tax than the line had.
 */
export function buildCreditNote(
  order: Pick<Order, 'orderId' | 'currency' | 'lines'>,
  credited: CreditedQuantities,
  input: { key: string; returnId?: string; quantities: readonly { lineId: string; quantity: number }[] },
  now: Date
): CreditNote {
  const lines = input.quantities.map(({ lineId, quantity }) =>
    billLine(order, lineId, quantity, credited[lineId] ?? 0)
  );
  const at = now.toISOString();
  return {
    id: creditNoteId(input.key),
    type: 'creditNote',
    orderId: order.orderId,
    ...(input.returnId === undefined ? {} : { returnId: input.returnId }),
    currency: order.currency,
    lines,
    ...billTotals(lines),
    createdAt: at,
    updatedAt: at,
  };
}
