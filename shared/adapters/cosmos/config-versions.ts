import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import { nowIso, type Clock } from '../../ports/clock';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type BaseDocument, type Stored } from './document-store';

/** A versioned configuration value (a policy, a journey): one document per (id, version). */
export interface Versioned {
  id: string;
  version: number;
}

/** How one kind of versioned value is stored: its partition and document type, and the mapping. */
export interface VersionCodec<V extends Versioned, D extends BaseDocument> {
  /** The partition of `config` (partition key `/kind`) and the documents' `type`: `policy`, `journey`. */
  kind: string;
  /** The document field that holds the value's own id (`policyId`): a query by id filters on it. */
  idField: string;
  documentOf(value: V): D;
  /** The stored document back as the value; storage fields are the codec's to drop. */
  valueOf(doc: Stored<D>): V;
}

/** One version as stored, with its storage version (ETag, opaque) and timestamps. */
export interface StoredVersion<V> {
  value: V;
  etag: string;
  createdAt: string;
  updatedAt: string;
}

/** One version to write: created without `etag`, replaced at it with one; `createdAt` kept on replace. */
export interface ValueWrite<V> {
  value: V;
  etag?: string;
  createdAt?: string;
}

/**
 * The versions of one kind of configuration, all in one partition of `config`, so a publish (two
 * versions) is one transactional batch. Versions come back ordered by id, then version.
 */
export class ConfigVersions<V extends Versioned, D extends BaseDocument> {
  readonly #store: DocumentStore<D>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock,
    private readonly codec: VersionCodec<V, D>
  ) {
    this.#store = new DocumentStore<D>(container, '/kind', clock);
  }

  /** Every stored version of one value, oldest first; empty when it does not exist. */
  versions(id: string): Promise<StoredVersion<V>[]> {
    const { kind, idField } = this.codec;
    return this.#queryAll(`SELECT * FROM c WHERE c.type = '${kind}' AND c.${idField} = @id`, { id });
  }

  all(): Promise<StoredVersion<V>[]> {
    return this.#queryAll(`SELECT * FROM c WHERE c.type = '${this.codec.kind}'`, {});
  }

  /** Applies the writes atomically (all or none), answering the stored versions in the same order. */
  async write(writes: readonly ValueWrite<V>[]): Promise<StoredVersion<V>[]> {
    if (writes.length === 0) return [];
    const { kind } = this.codec;
    const now = nowIso(this.clock);
    const bodies = writes.map((w) => ({
      ...this.codec.documentOf(w.value),
      createdAt: w.createdAt ?? now,
      updatedAt: now,
    }));
    const etags = await writeVersions(
      this.container,
      kind,
      writes.map((w, i) => ({
        body: bodies[i]!,
        ...(w.etag === undefined ? {} : { etag: w.etag }),
        label: `${kind} ${w.value.id} version ${w.value.version}`,
      })),
      `${kind}-exists`
    );
    return writes.map((w, i) => ({
      value: w.value,
      etag: etags[i]!,
      createdAt: bodies[i]!.createdAt,
      updatedAt: now,
    }));
  }

  async #queryAll(sql: string, params: Record<string, string>): Promise<StoredVersion<V>[]> {
    const found = await queryAllVersions(this.#store, this.codec.kind, sql, params);
    return found
      .map((doc) => ({
        value: this.codec.valueOf(doc),
        etag: doc._etag,
        createdAt: doc.createdAt ?? '',
        updatedAt: doc.updatedAt ?? '',
      }))
      .sort(
        (a, b) =>
          (a.value.id < b.value.id ? -1 : a.value.id > b.value.id ? 1 : 0) ||
          a.value.version - b.value.version
      );
  }
}

/** One versioned configuration document to write: created without `etag`, replaced at it with one. */
export interface VersionWrite {
  body: BaseDocument;
  etag?: string;
  /** How errors name it: "policy p-1 version 2". */
  label: string;
}

/**
 * Versioned configuration (policy and journey versions) in one partition of `config`: a batch of
 * version writes is one transaction (all or none), answering each written version's ETag.
 * ConflictError (`existsCode`) when a version to create exists; PreconditionFailedError when a version
 * to replace changed or vanished since its ETag.
 */
async function writeVersions(
  container: Container,
  partition: string,
  writes: readonly VersionWrite[],
  existsCode: string
): Promise<string[]> {
  const operations: OperationInput[] = writes.map((w) =>
    w.etag === undefined
      ? { operationType: 'Create', resourceBody: asJson(w.body) }
      : { operationType: 'Replace', id: w.body.id, ifMatch: w.etag, resourceBody: asJson(w.body) }
  );
  const what = `${container.id}/${writes[0]!.body.id}`;
  const response = await withCosmosErrors(() => container.items.batch(operations, partition), { what });
  const results = response.result ?? [];
  const statuses = results.map((r) => r.statusCode);
  if (statuses.length === writes.length && statuses.every((s) => s >= 200 && s < 300)) {
    return results.map((r) => r.eTag ?? '');
  }
  const failed = statuses.findIndex((s) => s !== 424 && (s < 200 || s >= 300));
  const label = (writes[failed] ?? writes[0]!).label;
  const status = statuses[failed];
  if (status === 409) throw new ConflictError(`The ${label} exists already.`, { code: existsCode });
  if (status === 412 || status === 404) {
    throw new PreconditionFailedError(`The ${label} has changed meanwhile; read it again and retry.`);
  }
  throw new Error(`Writing ${what} failed with statuses ${statuses.join(', ')}.`);
}

/** Every document of one partition a query finds, page after page. */
async function queryAllVersions<T extends BaseDocument>(
  store: DocumentStore<T>,
  partition: string,
  sql: string,
  params: Record<string, string>
): Promise<Stored<T>[]> {
  const found: Stored<T>[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.query(sql, params, {
      partitionKey: partition,
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    found.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return found;
}

function asJson(value: unknown): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
