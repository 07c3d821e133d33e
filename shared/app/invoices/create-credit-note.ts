import { buildCreditNote, creditNoteId, type CreditNote } from '../../domain/invoices/credit-note';
import { addLineQuantities } from '../../domain/invoices/bill-line';
import type { Clock } from '../../ports/clock';
import type { CreditNoteRepository } from '../../ports/invoices';
import type { OrderRepository } from '../../ports/orders';
import { orderNotFound } from '../orders/get-order';

export interface CreateCreditNoteDeps {
  orders: OrderRepository;
  creditNotes: CreditNoteRepository;
  clock: Clock;
}

export interface CreateCreditNoteInput {
  /** Idempotency key: a key already used answers the stored credit note and writes nothing. */
  key: string;
  orderId: string;
  returnId?: string;
  lines: readonly { lineId: string; quantity: number }[];
}

const maxAttempts = 5;

/**
 * Credits lines of an order (a refund): quantity × the order's unit price, plus each line's tax share
 * for those units after what earlier credit notes credited (lineTaxShare), so a line credited in parts
 * credits exactly its tax. Idempotent by `key`. The caller has checked the quantities (a return's
 * lines never exceed what shipped and was not returned before).
 */
export async function createCreditNote(
  deps: CreateCreditNoteDeps,
  input: CreateCreditNoteInput
): Promise<CreditNote> {
  const id = creditNoteId(input.key);
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.creditNotes.get(input.orderId, id);
    if (stored !== undefined) return stored;
    const order = await deps.orders.get(input.orderId);
    if (order === undefined) throw orderNotFound(input.orderId);
    const state = await deps.creditNotes.credited(input.orderId);
    const note = buildCreditNote(
      order,
      state.credited,
      {
        key: input.key,
        quantities: input.lines,
        ...(input.returnId === undefined ? {} : { returnId: input.returnId }),
      },
      deps.clock.now()
    );
    const outcome = await deps.creditNotes.create(note, addLineQuantities(state.credited, note), state);
    if (outcome === 'created') return note;
    if (attempt === maxAttempts) {
      throw new Error(
        `Credit note ${id} of order ${input.orderId}: other credit notes kept being written; try again.`
      );
    }
  }
}
