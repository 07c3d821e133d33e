import type { Container, JSONValue, SqlParameter } from '@azure/cosmos';
import type { Clock } from '../../ports/clock';
import { nowIso } from '../../ports/clock';
import { NotFoundError } from '../../domain/errors';
import { withCosmosErrors, type CosmosRetryOptions } from './cosmos-errors';

/** Fields every stored document has (docs/data.md). The store sets the timestamps. */
export interface BaseDocument {
  id: string;
  type: string;
  createdAt?: string;
  updatedAt?: string;
}

/** What Cosmos adds that callers need: the ETag for optimistic concurrency and the server time. */
export interface DocumentMeta {
  _etag: string;
  _ts: number;
}

export type Stored<T> = T & DocumentMeta;

/** Values for `@name` parameters; keys may be given with or without the leading `@`. */
export type QueryParams = Readonly<Record<string, JSONValue>>;

export interface QueryPageOptions {
  /** Opaque token from a previous page; absent for the first page. */
  continuationToken?: string;
  /** Upper bound for the page size (the server may return fewer). */
  maxItemCount?: number;
  /** Restrict the query to one partition — cheaper, and always prefer it when the key is known. */
  partitionKey?: string;
}

export interface Page<R> {
  items: R[];
  /** Present when more results exist; pass it back to get the next page. */
  continuationToken?: string;
}

const OWNER_RESOURCE_NOT_FOUND = 1003;

// Server-managed properties callers never need; dropped so documents round-trip cleanly.
const SYSTEM_FIELDS = ['_rid', '_self', '_attachments', '_etag', '_ts'] as const;
const INTERNAL_FIELDS = ['_rid', '_self', '_attachments'] as const;

function withoutFields<T extends object>(value: T, fields: readonly string[]): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const field of fields) delete copy[field];
  return copy as T;
}

/** A resource as Cosmos answered it, without the internal fields callers never need. */
export function toStored<T>(resource: unknown): Stored<T> {
  return withoutFields(resource as Stored<T>, INTERNAL_FIELDS);
}

function toSqlParameters(params: QueryParams): SqlParameter[] {
  return Object.entries(params).map(([name, value]) => ({
    name: name.startsWith('@') ? name : `@${name}`,
    value,
  }));
}

/**
 * A small typed view of one container: reads that return `undefined` for "absent", writes that set
 * `createdAt`/`updatedAt` from the clock, ETag-checked replace/delete, and paged queries. Every call
 * goes through `withCosmosErrors`, so callers only ever see domain errors.
 */
export class DocumentStore<T extends BaseDocument> {
  private readonly partitionKeyField: string;

  constructor(
    private readonly container: Container,
    partitionKeyPath: string,
    private readonly clock: Clock,
    private readonly retry: Omit<CosmosRetryOptions, 'what'> = {}
  ) {
    // Our containers all use a top-level key (docs/data.md); nested paths would need a path walk.
    if (!/^\/[^/]+$/.test(partitionKeyPath)) {
      throw new Error(`Unsupported partition key path "${partitionKeyPath}": only top-level paths`);
    }
    this.partitionKeyField = partitionKeyPath.slice(1);
  }

  /** The partition key value of a document, read from its own field. */
  partitionKeyOf(doc: T): string {
    const value = (doc as unknown as Record<string, unknown>)[this.partitionKeyField];
    if (typeof value !== 'string' || value === '') {
      // A missing key would silently land the document in the "none" partition: refuse instead.
      throw new Error(
        `${this.container.id}/${doc.id}: partition key field "${this.partitionKeyField}" must be a non-empty string`
      );
    }
    return value;
  }

  private what(id: string): string {
    return `${this.container.id}/${id}`;
  }

  private run<R>(id: string, operation: () => Promise<R>): Promise<R> {
    return withCosmosErrors(operation, { ...this.retry, what: this.what(id) });
  }

  private body(doc: T, createdAt: string, updatedAt: string): T {
    return { ...withoutFields(doc, SYSTEM_FIELDS), createdAt, updatedAt };
  }

  /** The document, or undefined when it does not exist. */
  async read(id: string, partitionKey: string): Promise<Stored<T> | undefined> {
    // The SDK resolves item 404s instead of throwing; only other failures reach withCosmosErrors.
    const response = await this.run(id, () => this.container.item(id, partitionKey).read<T>());
    // Substatus 1003 = the container or database itself is missing: a deployment fault, not "absent".
    if (response.statusCode === 404 && response.substatus === OWNER_RESOURCE_NOT_FOUND) {
      throw new NotFoundError(`container ${this.container.id} does not exist`);
    }
    if (response.statusCode === 404 || response.resource === undefined) return undefined;
    return toStored<T>(response.resource);
  }

  /** Insert a new document; ConflictError when the id already exists in its partition. */
  async create(doc: T): Promise<Stored<T>> {
    this.partitionKeyOf(doc);
    const now = nowIso(this.clock);
    // Keep a caller-supplied createdAt (imports, migrations); otherwise it is now.
    const body = this.body(doc, doc.createdAt ?? now, now);
    const { resource } = await this.run(doc.id, () =>
      this.container.items.create(body, { disableAutomaticIdGeneration: true })
    );
    return toStored<T>(resource);
  }

  /** Insert or overwrite without a concurrency check — only for writes that cannot race. */
  async upsert(doc: T): Promise<Stored<T>> {
    this.partitionKeyOf(doc);
    const now = nowIso(this.clock);
    const body = this.body(doc, doc.createdAt ?? now, now);
    const { resource } = await this.run(doc.id, () =>
      this.container.items.upsert(body, { disableAutomaticIdGeneration: true })
    );
    return toStored<T>(resource);
  }

  /**
   * Overwrite the document only if its current ETag is `etag`. Returns the new ETag;
   * PreconditionFailedError when someone else wrote first, NotFoundError when it was deleted.
   */
  async replaceIfMatch(doc: T, etag: string): Promise<string> {
    const partitionKey = this.partitionKeyOf(doc);
    const now = nowIso(this.clock);
    const body = this.body(doc, doc.createdAt ?? now, now);
    const response = await this.run(doc.id, () =>
      this.container.item(doc.id, partitionKey).replace(body, {
        accessCondition: { type: 'IfMatch', condition: etag },
      })
    );
    const newEtag = response.resource?._etag ?? response.etag;
    if (newEtag === undefined) throw new Error(`${this.what(doc.id)}: replace returned no ETag`);
    return newEtag;
  }

  /** Delete only if the ETag matches; PreconditionFailedError / NotFoundError otherwise. */
  async deleteIfMatch(id: string, partitionKey: string, etag: string): Promise<void> {
    await this.run(id, () =>
      this.container.item(id, partitionKey).delete({ accessCondition: { type: 'IfMatch', condition: etag } })
    );
  }

  /** Like `read`, but absence is an error — for callers that hold a reference they expect to resolve. */
  async get(id: string, partitionKey: string): Promise<Stored<T>> {
    const doc = await this.read(id, partitionKey);
    if (doc === undefined) throw new NotFoundError(`${this.what(id)} not found`);
    return doc;
  }

  /**
   * One page of a parameterized query (never build SQL from input; pass `@params`).
   * Empty intermediate pages that Cosmos may return are skipped, so `items` is empty only when the
   * query has no more results. `R` defaults to the document type; give it for projections.
   */
  async query<R = Stored<T>>(
    sql: string,
    params: QueryParams = {},
    options: QueryPageOptions = {}
  ): Promise<Page<R>> {
    const querySpec = { query: sql, parameters: toSqlParameters(params) };
    let continuationToken = options.continuationToken;
    for (;;) {
      // A fresh iterator per fetch: after a 429 the retry restarts from the same token instead of
      // trusting a half-advanced iterator.
      const token = continuationToken;
      const response = await this.run('query', () =>
        this.container.items
          .query<R>(querySpec, {
            ...(token !== undefined ? { continuationToken: token } : {}),
            ...(options.maxItemCount !== undefined ? { maxItemCount: options.maxItemCount } : {}),
            ...(options.partitionKey !== undefined ? { partitionKey: options.partitionKey } : {}),
          })
          .fetchNext()
      );
      const items = response.resources.map((item) =>
        typeof item === 'object' && item !== null ? withoutFields(item, INTERNAL_FIELDS) : item
      );
      const next = response.hasMoreResults ? response.continuationToken || undefined : undefined;
      if (items.length > 0 || next === undefined || next === token) {
        return next === undefined ? { items } : { items, continuationToken: next };
      }
      continuationToken = next;
    }
  }
}
