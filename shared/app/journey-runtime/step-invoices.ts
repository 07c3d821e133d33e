import type { Invoice } from '../../domain/invoices/invoice';
import type { SendInvoicesOutcome, SendInvoicesRequest } from '../invoices/send-invoices';

/** What a step action answers about the invoices it made (order and fulfillment order steps alike). */
interface InvoicingResult {
  outcome: string;
  detail?: string;
  reason?: string;
  invoices?: Invoice[];
}

/**
 * A "send to invoice" step's provider action: the invoices the step made go to the provider one by
 * one; the step fails with the provider's refusal.
 */
export async function withInvoices<R extends InvoicingResult>(
  deps: {
    sendInvoices: (
      request: SendInvoicesRequest,
      invoices: readonly Invoice[]
    ) => Promise<SendInvoicesOutcome>;
  },
  request: SendInvoicesRequest,
  result: R
): Promise<R> {
  const sent = await deps.sendInvoices(request, result.invoices ?? []);
  if (!sent.ok) return { ...result, outcome: 'failed', reason: sent.message };
  return { ...result, detail: [result.detail, sent.detail].filter(Boolean).join('; ') };
}
