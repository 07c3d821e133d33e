import type { Container, JSONObject } from '@azure/cosmos';
import type { CreditedQuantities, CreditNote } from '../../domain/invoices/credit-note';
import type { Clock } from '../../ports/clock';
import type { CreditedState, CreditNoteRepository } from '../../ports/invoices';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type Stored } from './document-store';

/**
 * What the order's credit notes credited so far, one document per order (`credited`). Every new
 * credit note is written in one batch with it, checked against its ETag, so each credit note's tax
 * shares follow exactly from the ones before it.
 */
interface CreditedDocument {
  id: typeof creditedId;
  type: 'credited';
  orderId: string;
  credited: CreditedQuantities;
  createdAt?: string;
  updatedAt?: string;
}

const creditedId = 'credited';

/** Credit notes in the `orders` container, in their order's partition. */
export class CosmosCreditNoteRepository implements CreditNoteRepository {
  readonly #notes: DocumentStore<CreditNote>;
  readonly #credited: DocumentStore<CreditedDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#notes = new DocumentStore<CreditNote>(container, '/orderId', clock);
    this.#credited = new DocumentStore<CreditedDocument>(container, '/orderId', clock);
  }

  async get(orderId: string, id: string): Promise<CreditNote | undefined> {
    const doc = await this.#notes.read(id, orderId);
    return doc === undefined ? undefined : plain(doc);
  }

  async credited(orderId: string): Promise<CreditedState> {
    const doc = await this.#credited.read(creditedId, orderId);
    return doc === undefined ? { credited: {} } : { credited: doc.credited, etag: doc._etag };
  }

  async create(
    note: CreditNote,
    credited: CreditedQuantities,
    state: CreditedState
  ): Promise<'created' | 'exists' | 'changed'> {
    const creditedDoc: CreditedDocument = {
      id: creditedId,
      type: 'credited',
      orderId: note.orderId,
      credited,
      updatedAt: note.updatedAt,
    };
    const creditedWrite =
      state.etag === undefined
        ? {
            operationType: 'Create' as const,
            resourceBody: asJson({ ...creditedDoc, createdAt: note.createdAt }),
          }
        : {
            operationType: 'Replace' as const,
            id: creditedId,
            ifMatch: state.etag,
            resourceBody: asJson(creditedDoc),
          };
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [{ operationType: 'Create' as const, resourceBody: asJson(note) }, creditedWrite],
          note.orderId
        ),
      { what: 'credit note' }
    );
    const [noteStatus, creditedStatus] = (response.result ?? []).map((r) => r.statusCode);
    if (noteStatus === 409) return 'exists';
    if (creditedStatus === 412 || creditedStatus === 409) return 'changed';
    if (isSuccess(noteStatus) && isSuccess(creditedStatus)) return 'created';
    throw new Error(
      `Storing credit note ${note.id} of order ${note.orderId} failed with statuses ${noteStatus}, ${creditedStatus}.`
    );
  }

  async listByOrder(orderId: string): Promise<CreditNote[]> {
    const notes: CreditNote[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#notes.query(
        "SELECT * FROM c WHERE c.orderId = @orderId AND c.type = 'creditNote'",
        { orderId },
        { partitionKey: orderId, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      notes.push(...page.items.map(plain));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return notes.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

function asJson(doc: object): JSONObject {
  return JSON.parse(JSON.stringify(doc)) as JSONObject;
}

function plain(doc: Stored<CreditNote>): CreditNote {
  const { _etag: _e, _ts: _t, ...note } = doc;
  return note;
}
