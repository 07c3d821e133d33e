import { CosmosCreditNoteRepository } from '../../adapters/cosmos/credit-note-repository';
import { CosmosInvoiceRepository } from '../../adapters/cosmos/invoice-repository';
import type { CreditNoteRepository, InvoiceRepository } from '../../ports/invoices';
import type { CreateCreditNoteDeps } from './create-credit-note';
import type { CreateInvoiceInput, InvoiceValidators } from '../../ports/validators';
import { createInvoiceInputSchema } from '../../schemas/invoice.schema';
import { compileValidator } from '../../schemas/validator';
import { getOrderRepository } from '../orders/wiring';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import { providerActionRunner } from '../provider-actions/wiring';
import type { CreateInvoiceDeps } from './create-invoice';
import type { SendInvoicesDeps } from './send-invoices';
import type { ListInvoicesDeps } from './list-invoices';

/** Invoices and the billed quantities in `orders` (partition = order id). */
export async function getInvoiceRepository(): Promise<InvoiceRepository> {
  return new CosmosInvoiceRepository(await getContainer('orders'), getClock());
}

/** The invoice validators, compiled on first use. */
export function getInvoiceValidators(): InvoiceValidators {
  return memo('validators:invoice', () => ({
    createInvoice: compileValidator<CreateInvoiceInput>(createInvoiceInputSchema, 'invoice request'),
  }));
}

/** What createInvoice needs. */
export async function createInvoiceDeps(): Promise<CreateInvoiceDeps> {
  return {
    validators: getInvoiceValidators(),
    orders: await getOrderRepository(),
    invoices: await getInvoiceRepository(),
    clock: getClock(),
  };
}

/** Credit notes and the credited quantities in `orders` (partition = order id). */
export async function getCreditNoteRepository(): Promise<CreditNoteRepository> {
  return new CosmosCreditNoteRepository(await getContainer('orders'), getClock());
}

/** What listInvoices needs. */
export async function listInvoicesDeps(): Promise<ListInvoicesDeps> {
  return {
    orders: await getOrderRepository(),
    invoices: await getInvoiceRepository(),
    creditNotes: await getCreditNoteRepository(),
  };
}

/** What createCreditNote needs. */
export async function createCreditNoteDeps(): Promise<CreateCreditNoteDeps> {
  return {
    orders: await getOrderRepository(),
    creditNotes: await getCreditNoteRepository(),
    clock: getClock(),
  };
}

/** What sendInvoices needs. */
export async function sendInvoicesDeps(): Promise<SendInvoicesDeps> {
  return {
    providerActions: providerActionRunner,
    invoices: await getInvoiceRepository(),
    orders: await getOrderRepository(),
    clock: getClock(),
  };
}
