import type { Invoice } from '../../domain/invoices/invoice';
import type { InvoiceRepository } from '../../ports/invoices';
import type { OrderRepository } from '../../ports/orders';
import { orderNotFound } from '../orders/get-order';

export interface ListInvoicesDeps {
  orders: OrderRepository;
  invoices: InvoiceRepository;
}

/** `GET /api/v1/orders/{orderId}/invoices`: the order's invoices, oldest first; NotFoundError for an unknown order. */
export async function listInvoices(deps: ListInvoicesDeps, orderId: string): Promise<Invoice[]> {
  if ((await deps.orders.get(orderId)) === undefined) throw orderNotFound(orderId);
  return deps.invoices.listByOrder(orderId);
}
