import { buildInvoice, invoiceId, quantitiesToBill, type Invoice } from '../../domain/invoices/invoice';
import { addLineQuantities } from '../../domain/invoices/bill-line';
import type { Clock } from '../../ports/clock';
import type { InvoiceRepository } from '../../ports/invoices';
import type { OrderRepository } from '../../ports/orders';
import type { CreateInvoiceInput, InvoiceValidators } from '../../ports/validators';
import { orderNotFound } from '../orders/get-order';

export interface CreateInvoiceDeps {
  validators: InvoiceValidators;
  orders: OrderRepository;
  invoices: InvoiceRepository;
  clock: Clock;
}

/** Another invoice of the same order written between our read and our write: read again, this often. */
const maxAttempts = 5;

/**
 * Bills an order (docs/email-and-invoices.md): without `lines`, every line's quantity not yet billed
 * by an earlier invoice; with them, those quantities (ValidationError with paths for more than is
 * left). Idempotent by `key`: a key already used answers the stored invoice and writes nothing.
 * Answers null, writing nothing, when nothing is left to bill; NotFoundError for an unknown order.
 */
export async function createInvoice(
  deps: CreateInvoiceDeps,
  input: CreateInvoiceInput
): Promise<Invoice | null> {
  const { key, orderId, fulfillmentOrderId, shipmentId, lines } = deps.validators.createInvoice(input);
  const id = invoiceId(key);
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.invoices.get(orderId, id);
    if (stored !== undefined) return stored;
    const order = await deps.orders.get(orderId);
    if (order === undefined) throw orderNotFound(orderId);
    const state = await deps.invoices.billed(orderId);
    const quantities = quantitiesToBill(order, state.billed, lines);
    if (quantities.length === 0) return null;
    const invoice = buildInvoice(
      order,
      {
        key,
        quantities,
        billed: state.billed,
        ...(fulfillmentOrderId === undefined ? {} : { fulfillmentOrderId }),
        ...(shipmentId === undefined ? {} : { shipmentId }),
      },
      deps.clock.now()
    );
    const outcome = await deps.invoices.create(invoice, addLineQuantities(state.billed, invoice), state);
    if (outcome === 'created') return invoice;
    // 'exists': the same key won meanwhile (the next round reads it); 'changed': bill what is left now.
    if (attempt === maxAttempts) {
      throw new Error(`Invoice ${id} of order ${orderId}: other invoices kept being written; try again.`);
    }
  }
}
