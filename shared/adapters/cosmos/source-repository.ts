import type { Container } from '@azure/cosmos';
import type { Source } from '../../domain/fulfillment/source';
import type { Clock } from '../../ports/clock';
import type { SourceRepository, VersionedSource } from '../../ports/sources';
import { DocumentStore, type Stored } from './document-store';

/** The source sits in its own field: its `type` (warehouse, store, 3pl) is not the document's. */
interface SourceDocument {
  id: string;
  type: 'source';
  source: Source;
  createdAt?: string;
  updatedAt?: string;
  /** `source:{id}`: each source is its own partition of the `catalog` container (docs/data.md). */
  key: string;
}

/** Sources in the `catalog` container, one partition each, id = source id. */
export class CosmosSourceRepository implements SourceRepository {
  readonly #reads: DocumentStore<SourceDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#reads = new DocumentStore<SourceDocument>(container, '/key', clock);
  }

  async get(id: string): Promise<VersionedSource | undefined> {
    const doc = await this.#reads.read(id, keyOf(id));
    return doc === undefined ? undefined : versioned(doc);
  }

  async list(): Promise<Source[]> {
    const sources: Source[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#reads.query(
        "SELECT * FROM c WHERE c.type = 'source' ORDER BY c.id",
        {},
        continuationToken === undefined ? {} : { continuationToken }
      );
      sources.push(...page.items.map((doc) => versioned(doc).source));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return sources;
  }

  async create(source: Source): Promise<VersionedSource> {
    return versioned(await this.#writer(source).create(documentOf(source)));
  }

  async replace(source: Source, etag: string): Promise<VersionedSource> {
    const newEtag = await this.#writer(source).replaceIfMatch(documentOf(source), etag);
    return { source, etag: newEtag };
  }

  /** A store whose clock stands at the source's updatedAt, so what is stored is what the caller answers with. */
  #writer(source: Source): DocumentStore<SourceDocument> {
    const at = new Date(source.updatedAt);
    return new DocumentStore<SourceDocument>(this.container, '/key', { now: () => at });
  }
}

function keyOf(id: string): string {
  return `source:${id}`;
}

function documentOf(source: Source): SourceDocument {
  return { id: source.id, type: 'source', key: keyOf(source.id), source };
}

function versioned(doc: Stored<SourceDocument>): VersionedSource {
  return { source: doc.source, etag: doc._etag };
}
