import type { Container } from '@azure/cosmos';
import type { CreditedQuantities, CreditNote } from '../../domain/invoices/credit-note';
import type { Clock } from '../../ports/clock';
import type { CreditedState, CreditNoteRepository } from '../../ports/invoices';
import { RunningTotalLedger } from './running-total-ledger';

/**
 * Credit notes in the `orders` container, in their order's partition, with what they credited so far
 * (`credited`, one document per order) written in the same batch as each one.
 */
export class CosmosCreditNoteRepository implements CreditNoteRepository {
  readonly #ledger: RunningTotalLedger<CreditNote>;

  constructor(container: Container, clock: Clock) {
    this.#ledger = new RunningTotalLedger<CreditNote>(container, clock, {
      entryType: 'creditNote',
      totals: 'credited',
      what: 'credit note',
    });
  }

  get(orderId: string, id: string): Promise<CreditNote | undefined> {
    return this.#ledger.get(orderId, id);
  }

  async credited(orderId: string): Promise<CreditedState> {
    const { quantities, etag } = await this.#ledger.totals(orderId);
    return etag === undefined ? { credited: quantities } : { credited: quantities, etag };
  }

  create(
    note: CreditNote,
    credited: CreditedQuantities,
    state: CreditedState
  ): Promise<'created' | 'exists' | 'changed'> {
    return this.#ledger.create(note, credited, {
      quantities: state.credited,
      ...(state.etag === undefined ? {} : { etag: state.etag }),
    });
  }

  listByOrder(orderId: string): Promise<CreditNote[]> {
    return this.#ledger.listByOrder(orderId);
  }
}
