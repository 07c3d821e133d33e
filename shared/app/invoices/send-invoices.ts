import { wasDelivered, type Invoice } from '../../domain/invoices/invoice';
import type { Clock } from '../../ports/clock';
import type { InvoiceRepository } from '../../ports/invoices';
import type { OrderRepository } from '../../ports/orders';
import { describeAnswer } from '../provider-actions/action-effects';
import type { ProviderActionRunner } from '../provider-actions/run-provider-action';

export interface SendInvoicesDeps {
  providerActions: ProviderActionRunner;
  invoices: InvoiceRepository;
  orders: OrderRepository;
  clock: Clock;
}

export interface SendInvoicesRequest {
  instanceId: string;
  action: string;
  /** Where it runs, for the error list: the journey step and an id unique per run. */
  step: string;
  runKey: string;
}

export type SendInvoicesOutcome = { ok: true; detail: string } | { ok: false; message: string };

/**
 * Hands a "send to invoice" step's invoices to an invoicing provider: one call per invoice, with the
 * invoice id as the idempotency key, each delivery recorded on the invoice so that a rerun of the
 * step (or another step run over the same shipments) never sends an invoice twice. Stops at the
 * first refusal, with the provider's message (the rest go when the step is reprocessed).
 */
export async function sendInvoices(
  deps: SendInvoicesDeps,
  request: SendInvoicesRequest,
  invoices: readonly Invoice[]
): Promise<SendInvoicesOutcome> {
  const { instanceId, action } = request;
  const details: string[] = [];
  for (const invoice of invoices) {
    if (wasDelivered(invoice, instanceId, action)) continue;
    const order = await deps.orders.get(invoice.orderId);
    if (order === undefined) return { ok: false, message: `Order ${invoice.orderId} does not exist.` };
    const ran = await deps.providerActions({
      instanceId,
      action,
      subject: { type: 'invoice', invoice: structuredClone(invoice), order },
      idempotencyKey: invoice.id,
      step: request.step,
      orderId: invoice.orderId,
      runKey: request.runKey,
    });
    if (!ran.ok) return { ok: false, message: ran.message };
    const reference = ran.answer.effects.find((effect) => effect.type === 'externalReference');
    await deps.invoices.recordDelivery(invoice.orderId, invoice.id, {
      instanceId,
      action,
      sentAt: deps.clock.now().toISOString(),
      ...(reference === undefined ? {} : { externalId: reference.id }),
    });
    details.push(`${invoice.id} → ${describeAnswer(instanceId, action, ran.answer)}`);
  }
  return { ok: true, detail: details.length > 0 ? details.join('; ') : 'invoices already delivered' };
}
