import { createHash } from 'node:crypto';
import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import type { InventoryRow, RowAddress } from '../../domain/inventory/inventory-row';
import type { Reservation } from '../../domain/inventory/reservation';
import { nowIso, type Clock } from '../../ports/clock';
import type {
  AppliedAllocationOperation,
  AppliedChange,
  CommitOutcome,
  InventoryStore,
  InventoryWrite,
  VersionedReservation,
  VersionedRow,
} from '../../ports/inventory';
import { maxWritesPerCommit } from '../../ports/inventory';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type BaseDocument, type Stored } from './document-store';

/**
 * The `inventory` container (partition `/sku`, docs/data.md). Per SKU partition:
 *
 * - `inventory-row` — one per (source, dimensions), id `row:{source}:{dimensions key}`;
 * - `reservation` — id `reservation:{reservation id}`;
 * - `inventory-change` — id `change:{event id}`, the proof that a change event was applied;
 * - `allocation-operation` — id `allocation-operation:{id}`, an allocation operation and its answer.
 *
 * A commit is one transactional batch in the SKU's partition, so a row's ETag-checked replace and
 * the documents that justify it (reservations, change proofs) are written together or not at all.
 */
interface RowDocument extends BaseDocument, InventoryRow {
  type: 'inventory-row';
}

type ReservationDocument = Reservation & { id: string; type: 'reservation' };

interface ChangeDocument extends BaseDocument, Omit<AppliedChange, 'id'> {
  type: 'inventory-change';
  eventId: string;
}

interface AllocationOperationDocument extends BaseDocument, Omit<AppliedAllocationOperation, 'id'> {
  type: 'allocation-operation';
  operationId: string;
}

/** Cosmos ids are at most 255 characters; longer natural ids are replaced by a digest. */
const maxIdLength = 250;

function documentId(prefix: string, natural: string): string {
  const id = `${prefix}:${natural}`;
  return id.length <= maxIdLength ? id : `${prefix}#${createHash('sha256').update(natural).digest('hex')}`;
}

export function rowDocumentId(address: Pick<RowAddress, 'sourceId' | 'dimensionsKey'>): string {
  // Each part URI-encoded: a source id holding ':' cannot collide with another (source, dimensions).
  return documentId(
    'row',
    `${encodeURIComponent(address.sourceId)}:${encodeURIComponent(address.dimensionsKey)}`
  );
}

function reservationDocumentId(reservationId: string): string {
  return documentId('reservation', reservationId);
}

function changeDocumentId(eventId: string): string {
  return documentId('change', eventId);
}

function allocationOperationDocumentId(id: string): string {
  return documentId('allocation-operation', id);
}

function stripMeta<T extends object>(doc: T): T {
  const {
    _etag: _e,
    _ts: _t,
    _rid: _r,
    _self: _s,
    _attachments: _a,
    ...rest
  } = doc as T & Record<string, unknown>;
  return rest as T;
}

function rowOf(doc: RowDocument): InventoryRow {
  const { id: _id, type: _type, ...row } = stripMeta(doc);
  return row;
}

function reservationOf(doc: ReservationDocument): Reservation {
  const { id: _id, type: _type, ...reservation } = stripMeta(doc);
  return reservation;
}

function changeOf(doc: ChangeDocument): AppliedChange {
  const { id: _id, type: _type, eventId, createdAt: _c, updatedAt: _u, ...change } = stripMeta(doc);
  return { ...change, id: eventId };
}

function asJson(doc: object): JSONObject {
  return doc as unknown as JSONObject;
}

export class CosmosInventoryStore implements InventoryStore {
  readonly #rows: DocumentStore<RowDocument>;
  readonly #reservations: DocumentStore<ReservationDocument>;
  readonly #changes: DocumentStore<ChangeDocument>;
  readonly #operations: DocumentStore<AllocationOperationDocument>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#rows = new DocumentStore<RowDocument>(container, '/sku', clock);
    this.#reservations = new DocumentStore<ReservationDocument>(container, '/sku', clock);
    this.#changes = new DocumentStore<ChangeDocument>(container, '/sku', clock);
    this.#operations = new DocumentStore<AllocationOperationDocument>(container, '/sku', clock);
  }

  async getRow(address: RowAddress): Promise<VersionedRow | undefined> {
    const doc = await this.#rows.read(rowDocumentId(address), address.sku);
    return doc === undefined ? undefined : { row: rowOf(doc), etag: doc._etag };
  }

  async findRows(filter: {
    skus: readonly string[];
    sourceIds?: readonly string[];
  }): Promise<InventoryRow[]> {
    if (filter.skus.length === 0) return [];
    // The embedded server does not scope queries by partition key, so the type and SKU filters stay.
    // Only the row's own fields: a 100 × 50 query answers 5,000 rows, and metadata would double it.
    let sql =
      'SELECT c.sku, c.sourceId, c.dimensions, c.dimensionsKey, c.measures, c.allocations FROM c ' +
      "WHERE c.type = 'inventory-row' AND ARRAY_CONTAINS(@skus, c.sku)";
    const params: Record<string, string[]> = { skus: [...filter.skus] };
    if (filter.sourceIds !== undefined) {
      sql += ' AND ARRAY_CONTAINS(@sourceIds, c.sourceId)';
      params.sourceIds = [...filter.sourceIds];
    }
    const partitionKey = filter.skus.length === 1 ? filter.skus[0] : undefined;
    return this.#all<InventoryRow>(sql, params, partitionKey);
  }

  async getReservation(sku: string, reservationId: string): Promise<VersionedReservation | undefined> {
    const doc = await this.#reservations.read(reservationDocumentId(reservationId), sku);
    return doc === undefined ? undefined : { reservation: reservationOf(doc), etag: doc._etag };
  }

  async getReservations(sku: string, reservationIds: readonly string[]): Promise<Reservation[]> {
    // Point reads, not a query: the cheapest lookup in Cosmos, and the embedded server scans the
    // whole container for every query.
    const docs = await Promise.all(
      [...new Set(reservationIds)].map((id) => this.#reservations.read(reservationDocumentId(id), sku))
    );
    return docs.flatMap((doc) => (doc === undefined ? [] : [reservationOf(doc)]));
  }

  async findReservations(reservationId: string): Promise<VersionedReservation[]> {
    const docs = await this.#all<Stored<ReservationDocument>>(
      "SELECT * FROM c WHERE c.type = 'reservation' AND c.reservationId = @id",
      { id: reservationId }
    );
    return docs.map((doc) => ({ reservation: reservationOf(doc), etag: doc._etag }));
  }

  async getAppliedChanges(sku: string, ids: readonly string[]): Promise<AppliedChange[]> {
    const docs = await Promise.all(
      [...new Set(ids)].map((id) => this.#changes.read(changeDocumentId(id), sku))
    );
    return docs.flatMap((doc) => (doc === undefined ? [] : [changeOf(doc)]));
  }

  async getAllocationOperation(sku: string, id: string): Promise<AppliedAllocationOperation | undefined> {
    const doc = await this.#operations.read(allocationOperationDocumentId(id), sku);
    if (doc === undefined) return undefined;
    const { operationId, request, result, appliedAt } = doc;
    return { id: operationId, sku, request, result, appliedAt };
  }

  async commit(sku: string, writes: readonly InventoryWrite[]): Promise<CommitOutcome> {
    if (writes.length === 0) return { ok: true, etags: [] };
    if (writes.length > maxWritesPerCommit) {
      throw new Error(`A commit holds at most ${maxWritesPerCommit} writes (got ${writes.length}).`);
    }
    const now = nowIso(this.clock);
    const operations = writes.map((write) => this.#operation(sku, write, now));
    const response = await withCosmosErrors(() => this.container.items.batch(operations, sku), {
      what: `inventory/${sku}`,
    });
    const results = response.result ?? [];
    const statuses = results.map((r) => r.statusCode);
    if (statuses.length === writes.length && statuses.every((s) => s >= 200 && s < 300)) {
      return { ok: true, etags: results.map((r) => r.eTag) };
    }
    // In an atomic batch the failing operation keeps its status and the others report 424.
    const failedIndex = statuses.findIndex((s) => s >= 400 && s !== 424);
    const status = statuses[failedIndex];
    if (status === 409) return { ok: false, failedIndex, reason: 'exists' };
    if (status === 412) return { ok: false, failedIndex, reason: 'changed' };
    if (status === 404) return { ok: false, failedIndex, reason: 'missing' };
    throw new Error(`Inventory commit in ${sku} failed with statuses ${statuses.join(', ')}.`);
  }

  #operation(sku: string, write: InventoryWrite, now: string): OperationInput {
    const stamped = <T extends { createdAt?: string; updatedAt?: string }>(doc: T): T => ({
      ...doc,
      createdAt: doc.createdAt ?? now,
      updatedAt: now,
    });
    switch (write.kind) {
      case 'create-row':
      case 'replace-row': {
        const body = stamped<RowDocument>({
          ...write.row,
          sku,
          id: rowDocumentId(write.row),
          type: 'inventory-row',
        });
        return write.kind === 'create-row'
          ? { operationType: 'Create', resourceBody: asJson(body) }
          : { operationType: 'Replace', id: body.id, ifMatch: write.etag, resourceBody: asJson(body) };
      }
      case 'create-reservation':
      case 'replace-reservation': {
        const body: ReservationDocument = {
          ...write.reservation,
          sku,
          id: reservationDocumentId(write.reservation.reservationId),
          type: 'reservation',
        };
        return write.kind === 'create-reservation'
          ? { operationType: 'Create', resourceBody: asJson(body) }
          : { operationType: 'Replace', id: body.id, ifMatch: write.etag, resourceBody: asJson(body) };
      }
      case 'record-change': {
        const { id: eventId, ...change } = write.change;
        const body = stamped<ChangeDocument>({
          ...change,
          sku,
          eventId,
          id: changeDocumentId(eventId),
          type: 'inventory-change',
        });
        return { operationType: 'Create', resourceBody: asJson(body) };
      }
      case 'record-allocation-operation': {
        const { id: operationId, ...operation } = write.operation;
        const body = stamped<AllocationOperationDocument>({
          ...operation,
          sku,
          operationId,
          id: allocationOperationDocumentId(operationId),
          type: 'allocation-operation',
        });
        return { operationType: 'Create', resourceBody: asJson(body) };
      }
    }
  }

  async #all<R>(sql: string, params: Record<string, string | string[]>, partitionKey?: string): Promise<R[]> {
    const items: R[] = [];
    let continuationToken: string | undefined;
    do {
      // Large pages: each page is a separate round trip (and a separate scan on the embedded server).
      const page = await this.#rows.query<R>(sql, params, {
        maxItemCount: 10_000,
        ...(continuationToken === undefined ? {} : { continuationToken }),
        ...(partitionKey === undefined ? {} : { partitionKey }),
      });
      items.push(...page.items);
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return items;
  }
}
