import type { Container, JSONObject } from '@azure/cosmos';
import type { LineQuantities } from '../../domain/invoices/bill-line';
import type { Clock } from '../../ports/clock';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type Stored } from './document-store';

/** A document the ledger keeps: one of an order's invoices or credit notes. */
interface LedgerEntry {
  id: string;
  type: string;
  orderId: string;
  createdAt: string;
  updatedAt: string;
}

/** What the entries of one order add up to so far, with the version a new entry is written against. */
export interface LedgerTotals {
  quantities: LineQuantities;
  /** Absent before the first entry. */
  etag?: string;
}

/** How one ledger names its documents: the entries' `type`, and the totals document's id and field. */
export interface LedgerNames {
  entryType: string;
  /** The totals document's id and `type`, and the field holding its quantities (`billed`, `credited`). */
  totals: string;
  /** For error messages: "invoice", "credit note". */
  what: string;
}

/**
 * Documents of an order (invoices, credit notes) with a running total of the line quantities they
 * cover, one totals document per order. Every new entry is written in one transactional batch with
 * the totals, checked against their ETag: two entries written at once for the same order never both
 * take the same units, and each entry's tax shares follow exactly from the ones before it.
 */
export class RunningTotalLedger<E extends LedgerEntry> {
  readonly #entries: DocumentStore<E>;
  readonly #totals: DocumentStore<{ id: string; type: string; orderId: string; createdAt?: string }>;

  constructor(
    private readonly container: Container,
    clock: Clock,
    private readonly names: LedgerNames
  ) {
    this.#entries = new DocumentStore<E>(container, '/orderId', clock);
    this.#totals = new DocumentStore(container, '/orderId', clock);
  }

  /** The entries' own store, for changes to a stored entry. */
  get entries(): DocumentStore<E> {
    return this.#entries;
  }

  async get(orderId: string, id: string): Promise<E | undefined> {
    const doc = await this.#entries.read(id, orderId);
    return doc === undefined ? undefined : plain(doc);
  }

  async totals(orderId: string): Promise<LedgerTotals> {
    const doc = await this.#totals.read(this.names.totals, orderId);
    if (doc === undefined) return { quantities: {} };
    const quantities = (doc as unknown as Record<string, LineQuantities>)[this.names.totals] ?? {};
    return { quantities, etag: doc._etag };
  }

  /**
   * Stores the entry and the new totals together, only if the totals are still at `state`:
   * 'exists' when the entry's id is taken, 'changed' when another entry was written meanwhile;
   * in both cases nothing is written.
   */
  async create(
    entry: E,
    quantities: LineQuantities,
    state: LedgerTotals
  ): Promise<'created' | 'exists' | 'changed'> {
    const { totals: id, what } = this.names;
    const totalsDoc = { id, type: id, orderId: entry.orderId, [id]: quantities, updatedAt: entry.updatedAt };
    const totalsWrite =
      state.etag === undefined
        ? {
            operationType: 'Create' as const,
            resourceBody: asJson({ ...totalsDoc, createdAt: entry.createdAt }),
          }
        : { operationType: 'Replace' as const, id, ifMatch: state.etag, resourceBody: asJson(totalsDoc) };
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [{ operationType: 'Create' as const, resourceBody: asJson(entry) }, totalsWrite],
          entry.orderId
        ),
      { what }
    );
    const [entryStatus, totalsStatus] = (response.result ?? []).map((r) => r.statusCode);
    if (entryStatus === 409) return 'exists';
    // 412: another entry replaced the totals; 409: another entry created them first.
    if (totalsStatus === 412 || totalsStatus === 409) return 'changed';
    if (isSuccess(entryStatus) && isSuccess(totalsStatus)) return 'created';
    throw new Error(
      `Storing ${what} ${entry.id} of order ${entry.orderId} failed with statuses ${entryStatus}, ${totalsStatus}.`
    );
  }

  /** The order's entries, oldest first. */
  async listByOrder(orderId: string): Promise<E[]> {
    const entries: E[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#entries.query(
        'SELECT * FROM c WHERE c.orderId = @orderId AND c.type = @type',
        { orderId, type: this.names.entryType },
        { partitionKey: orderId, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      entries.push(...page.items.map(plain));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

function asJson(doc: object): JSONObject {
  return JSON.parse(JSON.stringify(doc)) as JSONObject;
}

/** The entry without what Cosmos adds. */
export function plain<E>(doc: Stored<E>): E {
  const { _etag: _e, _ts: _t, ...entry } = doc;
  return entry as E;
}
