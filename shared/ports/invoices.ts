import type { BilledQuantities, Invoice, InvoiceDelivery } from '../domain/invoices/invoice';
import type { CreditNote, CreditedQuantities } from '../domain/invoices/credit-note';

/** What the order's invoices billed so far, with the version a new invoice must be written against. */
export interface BilledState {
  billed: BilledQuantities;
  /** Absent before the first invoice. */
  etag?: string;
}

/** Invoices in the order's partition of `orders`, with a running total of what they billed. */
export interface InvoiceRepository {
  get(orderId: string, id: string): Promise<Invoice | undefined>;
  billed(orderId: string): Promise<BilledState>;
  /**
   * Stores the invoice and the new billed quantities together, only if the billed quantities are
   * still at `state` (the version billed() answered): 'exists' when the invoice id is taken,
   * 'changed' when another invoice was written meanwhile; in both cases nothing is written.
   */
  create(
    invoice: Invoice,
    billed: BilledQuantities,
    state: BilledState
  ): Promise<'created' | 'exists' | 'changed'>;
  /** Adds a delivery to a stored invoice, unless one of the same instance and action is there. */
  recordDelivery(orderId: string, invoiceId: string, delivery: InvoiceDelivery): Promise<void>;
  /** The order's invoices, oldest first. */
  listByOrder(orderId: string): Promise<Invoice[]>;
}

/** What the order's credit notes credited so far, with the version a new one must be written against. */
export interface CreditedState {
  credited: CreditedQuantities;
  /** Absent before the first credit note. */
  etag?: string;
}

/** Credit notes in the order's partition of `orders`, with a running total of what they credited. */
export interface CreditNoteRepository {
  get(orderId: string, id: string): Promise<CreditNote | undefined>;
  credited(orderId: string): Promise<CreditedState>;
  /**
   * Stores the credit note and the new credited quantities together, only if the credited quantities
   * are still at `state`: 'exists' when the id is taken, 'changed' when another credit note was
   * written meanwhile; nothing is written then.
   */
  create(
    note: CreditNote,
    credited: CreditedQuantities,
    state: CreditedState
  ): Promise<'created' | 'exists' | 'changed'>;
  /** The order's credit notes, oldest first. */
  listByOrder(orderId: string): Promise<CreditNote[]>;
}
