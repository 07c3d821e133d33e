import { listInvoices } from '../shared/app/invoices/list-invoices';
import { listInvoicesDeps } from '../shared/app/invoices/wiring';
import { route } from '../shared/http/route';

/** GET /api/v1/orders/{orderId}/invoices: `{items}`, oldest first; 404 for an unknown order. */
export const listInvoicesHandler = route(
  'listOrderInvoices',
  'GET',
  'v1/orders/{orderId}/invoices',
  async (request) => ({
    jsonBody: { items: await listInvoices(await listInvoicesDeps(), request.params.orderId ?? '') },
  })
);
