import type { Container } from '@azure/cosmos';
import type { SourceList } from '../../domain/fulfillment/source-list';
import type { Clock } from '../../ports/clock';
import type { SourceListRepository, VersionedSourceList } from '../../ports/source-lists';
import { DocumentStore, type Stored } from './document-store';

/** The partition of the `config` container (partition key `/kind`) holding every source list. */
const partition = 'source-list';

interface SourceListDocument {
  /** `source-list:{id}`. */
  id: string;
  type: typeof partition;
  kind: typeof partition;
  sourceList: SourceList;
  createdAt?: string;
  updatedAt?: string;
}

/** Source lists in `config`, all in one partition (a handful per tenant). */
export class CosmosSourceListRepository implements SourceListRepository {
  readonly #reads: DocumentStore<SourceListDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#reads = new DocumentStore<SourceListDocument>(container, '/kind', clock);
  }

  async get(id: string): Promise<VersionedSourceList | undefined> {
    const doc = await this.#reads.read(documentIdOf(id), partition);
    return doc === undefined ? undefined : versioned(doc);
  }

  async list(): Promise<SourceList[]> {
    const lists: SourceList[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#reads.query(
        `SELECT * FROM c WHERE c.kind = '${partition}' AND c.type = '${partition}'`,
        {},
        { partitionKey: partition, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      lists.push(...page.items.map((doc) => doc.sourceList));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return lists.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async create(sourceList: SourceList): Promise<VersionedSourceList> {
    return versioned(await this.#writer(sourceList).create(documentOf(sourceList)));
  }

  async replace(sourceList: SourceList, etag: string): Promise<VersionedSourceList> {
    const newEtag = await this.#writer(sourceList).replaceIfMatch(documentOf(sourceList), etag);
    return { sourceList, etag: newEtag };
  }

  async delete(id: string, etag: string): Promise<void> {
    await this.#reads.deleteIfMatch(documentIdOf(id), partition, etag);
  }

  /** A store whose clock stands at the list's updatedAt, so what is stored is what the caller answers with. */
  #writer(sourceList: SourceList): DocumentStore<SourceListDocument> {
    const at = new Date(sourceList.updatedAt);
    return new DocumentStore<SourceListDocument>(this.container, '/kind', { now: () => at });
  }
}

function documentIdOf(id: string): string {
  return `${partition}:${id}`;
}

function documentOf(sourceList: SourceList): SourceListDocument {
  return {
    id: documentIdOf(sourceList.id),
    type: partition,
    kind: partition,
    sourceList,
    createdAt: sourceList.createdAt,
  };
}

function versioned(doc: Stored<SourceListDocument>): VersionedSourceList {
  return { sourceList: doc.sourceList, etag: doc._etag };
}
