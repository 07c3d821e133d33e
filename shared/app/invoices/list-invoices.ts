import type { CreditNote } from '../../domain/invoices/credit-note';
import type { Invoice } from '../../domain/invoices/invoice';
import type { CreditNoteRepository, InvoiceRepository } from '../../ports/invoices';
import type { OrderRepository } from '../../ports/orders';
import { orderNotFound } from '../orders/get-order';

export interface ListInvoicesDeps {
  orders: OrderRepository;
  invoices: InvoiceRepository;
  creditNotes: CreditNoteRepository;
}

/**
 * `GET /api/v1/orders/{orderId}/invoices`: the order's invoices and credit notes (`type` tells them
 * apart), oldest first; NotFoundError for an unknown order.
 */
export async function listInvoices(
  deps: ListInvoicesDeps,
  orderId: string
): Promise<(Invoice | CreditNote)[]> {
  if ((await deps.orders.get(orderId)) === undefined) throw orderNotFound(orderId);
  const [invoices, creditNotes] = await Promise.all([
    deps.invoices.listByOrder(orderId),
    deps.creditNotes.listByOrder(orderId),
  ]);
  return [...invoices, ...creditNotes].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)
  );
}
