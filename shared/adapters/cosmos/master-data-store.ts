import type { Container } from '@azure/cosmos';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../domain/errors';
import type { MasterDataEntity } from '../../domain/master-data/master-data-entities';
import type { MasterDataStore, RecordWrite, StoredRecord } from '../../ports/master-data';
import { DocumentStore, type BaseDocument, type Stored } from './document-store';

/**
 * How each entity sits in the `catalog` container: the document type, the partition key's prefix,
 * and the field holding the record — none for products, stored flat as CosmosProductRepository
 * stores them; sources in `source` as CosmosSourceRepository does (their `type` is not the document's).
 */
const layouts: Readonly<Record<MasterDataEntity, { type: string; prefix: string; field?: string }>> = {
  products: { type: 'product', prefix: 'product' },
  sources: { type: 'source', prefix: 'source', field: 'source' },
  accounts: { type: 'account', prefix: 'account', field: 'account' },
  'price-lists': { type: 'price-list', prefix: 'price-list', field: 'priceList' },
  units: { type: 'unit', prefix: 'unit', field: 'unit' },
};

interface CatalogDocument extends BaseDocument {
  key: string;
  [field: string]: unknown;
}

/** Master-data records in `catalog`, one partition each (`{prefix}:{id}`), id = the record's key. */
export class CosmosMasterDataStore implements MasterDataStore {
  readonly #reads: DocumentStore<CatalogDocument>;

  constructor(private readonly container: Container) {
    // Reads never stamp anything; documents carry the timestamps the domain gave the record.
    this.#reads = new DocumentStore<CatalogDocument>(container, '/key', { now: () => new Date() });
  }

  async get(entity: MasterDataEntity, id: string): Promise<StoredRecord | undefined> {
    const doc = await this.#reads.read(id, keyOf(entity, id));
    return doc === undefined ? undefined : recordOf(entity, doc);
  }

  async readMany(entity: MasterDataEntity, ids: readonly string[]): Promise<Map<string, StoredRecord>> {
    const found = new Map<string, StoredRecord>();
    if (ids.length === 0) return found;
    const keys = ids.map((id) => keyOf(entity, id)).sort();
    // The range first: a key outside it is refused by two comparisons instead of a walk of the list
    // (the range index in Cosmos, a short cut on the embedded server); sorted pages make it tight.
    let continuationToken: string | undefined;
    do {
      const page = await this.#reads.query(
        'SELECT * FROM c WHERE c.key >= @low AND c.key <= @high AND ARRAY_CONTAINS(@keys, c.key)',
        { keys, low: keys[0]!, high: keys[keys.length - 1]! },
        { maxItemCount: 1000, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      for (const doc of page.items) found.set(doc.id, recordOf(entity, doc));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return found;
  }

  async writeMany(
    entity: MasterDataEntity,
    writes: readonly RecordWrite[],
    concurrency: number
  ): Promise<('written' | 'lost-race')[]> {
    // Point writes, `concurrency` at once: on the embedded server they measured twice the rate of
    // executeBulkOperations (test/bench/master-data-load.ts), and Cosmos scales them the same way.
    const outcomes = new Array<'written' | 'lost-race'>(writes.length);
    let next = 0;
    const writer = async () => {
      while (next < writes.length) {
        const i = next++;
        const { id, value, etag } = writes[i]!;
        const store = this.#writer(value);
        const doc = documentOf(entity, id, value);
        try {
          if (etag === undefined) await store.create(doc);
          else await store.replaceIfMatch(doc, etag);
          outcomes[i] = 'written';
        } catch (err) {
          const lostRace =
            err instanceof ConflictError ||
            err instanceof PreconditionFailedError ||
            err instanceof NotFoundError;
          if (!lostRace) throw err;
          outcomes[i] = 'lost-race';
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, writes.length) }, writer));
    return outcomes;
  }

  /** A store whose clock stands at the record's updatedAt: the document carries the domain's timestamps. */
  #writer(value: object): DocumentStore<CatalogDocument> {
    const at = new Date((value as { updatedAt: string }).updatedAt);
    return new DocumentStore<CatalogDocument>(this.container, '/key', { now: () => at });
  }
}

function keyOf(entity: MasterDataEntity, id: string): string {
  return `${layouts[entity].prefix}:${id}`;
}

function documentOf(entity: MasterDataEntity, id: string, value: object): CatalogDocument {
  const { type, field } = layouts[entity];
  const { createdAt, updatedAt } = value as { createdAt: string; updatedAt: string };
  const base = { id, type, key: keyOf(entity, id), createdAt, updatedAt };
  return field === undefined ? { ...value, ...base } : { ...base, [field]: value };
}

function recordOf(entity: MasterDataEntity, doc: Stored<CatalogDocument>): StoredRecord {
  const { field } = layouts[entity];
  if (field !== undefined) return { value: doc[field] as object, etag: doc._etag };
  const { id: _id, type: _type, key: _key, _etag, _ts, ...value } = doc;
  return { value, etag: _etag };
}
