import type { Container } from '@azure/cosmos';
import { PreconditionFailedError } from '../../domain/errors';
import {
  wasDelivered,
  type BilledQuantities,
  type Invoice,
  type InvoiceDelivery,
} from '../../domain/invoices/invoice';
import type { Clock } from '../../ports/clock';
import type { BilledState, InvoiceRepository } from '../../ports/invoices';
import { plain, RunningTotalLedger } from './running-total-ledger';

/**
 * Invoices in the `orders` container, in their order's partition, with what they billed so far
 * (`billed`, one document per order) written in the same batch as each one: two invoices written at
 * once for the same order never both bill the same units.
 */
export class CosmosInvoiceRepository implements InvoiceRepository {
  readonly #ledger: RunningTotalLedger<Invoice>;

  constructor(container: Container, clock: Clock) {
    this.#ledger = new RunningTotalLedger<Invoice>(container, clock, {
      entryType: 'invoice',
      totals: 'billed',
      what: 'invoice',
    });
  }

  get(orderId: string, id: string): Promise<Invoice | undefined> {
    return this.#ledger.get(orderId, id);
  }

  async billed(orderId: string): Promise<BilledState> {
    const { quantities, etag } = await this.#ledger.totals(orderId);
    return etag === undefined ? { billed: quantities } : { billed: quantities, etag };
  }

  create(
    invoice: Invoice,
    billed: BilledQuantities,
    state: BilledState
  ): Promise<'created' | 'exists' | 'changed'> {
    return this.#ledger.create(invoice, billed, {
      quantities: state.billed,
      ...(state.etag === undefined ? {} : { etag: state.etag }),
    });
  }

  async recordDelivery(orderId: string, invoiceId: string, delivery: InvoiceDelivery): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.#ledger.entries.read(invoiceId, orderId);
      if (stored === undefined) throw new Error(`Invoice ${invoiceId} of order ${orderId} does not exist.`);
      if (wasDelivered(stored, delivery.instanceId, delivery.action)) return;
      const invoice = plain(stored);
      try {
        await this.#ledger.entries.replaceIfMatch(
          { ...invoice, deliveries: [...(invoice.deliveries ?? []), delivery] },
          stored._etag
        );
        return;
      } catch (err) {
        // Another delivery of the same invoice was recorded meanwhile: read it again.
        if (!(err instanceof PreconditionFailedError) || attempt === 5) throw err;
      }
    }
  }

  listByOrder(orderId: string): Promise<Invoice[]> {
    return this.#ledger.listByOrder(orderId);
  }
}
