import type { Container } from '@azure/cosmos';
import { ConflictError } from '../../domain/errors';
import type { ErrorEntry, ErrorListName, ErrorStatus } from '../../domain/error-lists/error-entry';
import type { Clock } from '../../ports/clock';
import type { ErrorListRepository } from '../../ports/error-lists';
import type { Page } from '../../ports/orders';
import { DocumentStore } from './document-store';

/** Error-list entries in the `jobs` container, one partition per list (`kind`). */
export class CosmosErrorListRepository implements ErrorListRepository {
  readonly #store: DocumentStore<ErrorEntry>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<ErrorEntry>(container, '/kind', clock);
  }

  async create(entry: ErrorEntry): Promise<'created' | 'exists'> {
    try {
      await this.#store.create(entry);
      return 'created';
    } catch (err) {
      if (err instanceof ConflictError) return 'exists';
      throw err;
    }
  }

  async get(list: ErrorListName, id: string): Promise<{ entry: ErrorEntry; etag: string } | undefined> {
    const stored = await this.#store.read(id, list);
    if (stored === undefined || stored.type !== 'error-entry') return undefined;
    const { _etag: etag, _ts: _unused, ...entry } = stored;
    return { entry, etag };
  }

  async replaceIfMatch(entry: ErrorEntry, etag: string): Promise<string> {
    return this.#store.replaceIfMatch(entry, etag);
  }

  async find(
    list: ErrorListName,
    filter: { status?: ErrorStatus },
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<ErrorEntry>> {
    // The kind clause repeats the partition key: not every Cosmos-protocol server scopes a query by it.
    const clauses = ["c.type = 'error-entry'", 'c.kind = @kind'];
    const params: Record<string, string> = { '@kind': list };
    if (filter.status !== undefined) {
      clauses.push('c.status = @status');
      params['@status'] = filter.status;
    }
    const result = await this.#store.query<ErrorEntry & { _etag?: string; _ts?: number }>(
      `SELECT * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.createdAt DESC`,
      params,
      {
        partitionKey: list,
        maxItemCount: page.maxItemCount,
        ...(page.continuationToken !== undefined ? { continuationToken: page.continuationToken } : {}),
      }
    );
    const items = result.items.map(({ _etag: _e, _ts: _t, ...entry }) => entry);
    return result.continuationToken === undefined
      ? { items }
      : { items, continuationToken: result.continuationToken };
  }
}
