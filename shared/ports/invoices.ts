import type { BilledQuantities, Invoice, InvoiceDelivery } from '../domain/invoices/invoice';

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
