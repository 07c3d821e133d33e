import type { ChangeMode } from '../domain/inventory/inventory-change';
import type { InventoryRow, RowAddress } from '../domain/inventory/inventory-row';
import type { Reservation } from '../domain/inventory/reservation';

/** A row with the version it was read at (the storage ETag, opaque). */
export interface VersionedRow {
  row: InventoryRow;
  etag: string;
}

export interface VersionedReservation {
  reservation: Reservation;
  etag: string;
}

/** Proof that a change event was applied, kept so that a replay of its id is a no-op. */
export interface AppliedChange {
  id: string;
  sku: string;
  sourceId: string;
  dimensionsKey: string;
  measure: string;
  quantity: number;
  mode: ChangeMode;
  appliedAt: string;
}

/** Proof of an allocation operation with the answer it got, so that a repeat answers the same. */
export interface AppliedAllocationOperation {
  id: string;
  sku: string;
  /** The request as validated, to tell a repeat from a reused id. */
  request: Readonly<Record<string, unknown>>;
  result: Readonly<Record<string, unknown>>;
  appliedAt: string;
}

/** One write of a commit; all writes of a commit land in the SKU's partition, atomically. */
export type InventoryWrite =
  | { kind: 'create-row'; row: InventoryRow }
  | { kind: 'replace-row'; row: InventoryRow; etag: string }
  | { kind: 'create-reservation'; reservation: Reservation }
  | { kind: 'replace-reservation'; reservation: Reservation; etag: string }
  | { kind: 'record-change'; change: AppliedChange }
  | { kind: 'record-allocation-operation'; operation: AppliedAllocationOperation };

/**
 * How a commit ended. On failure nothing was written; `failedIndex` is the write that failed:
 * `exists` (a create found the document), `changed` (a replace found another version), `missing`
 * (a replace found no document).
 */
export type CommitOutcome =
  /** `etags`: the new version of each written document, in the order of the writes. */
  | { ok: true; etags: (string | undefined)[] }
  | { ok: false; failedIndex: number; reason: 'exists' | 'changed' | 'missing' };

/** The most writes one commit may hold (a Cosmos transactional batch holds 100 operations). */
export const maxWritesPerCommit = 100;

/** Inventory rows, reservations and idempotency records, partitioned by SKU (docs/data.md `inventory`). */
export interface InventoryStore {
  getRow(address: RowAddress): Promise<VersionedRow | undefined>;
  /** Every row of the given SKUs, optionally only at the given sources. */
  findRows(filter: { skus: readonly string[]; sourceIds?: readonly string[] }): Promise<InventoryRow[]>;
  getReservation(sku: string, reservationId: string): Promise<VersionedReservation | undefined>;
  /** The reservations among `reservationIds` that exist in the SKU's partition. */
  getReservations(sku: string, reservationIds: readonly string[]): Promise<Reservation[]>;
  /** Reservations with this id in any SKU (ids are unique per SKU only). */
  findReservations(reservationId: string): Promise<VersionedReservation[]>;
  /** The change events among `ids` already applied in the SKU's partition. */
  getAppliedChanges(sku: string, ids: readonly string[]): Promise<AppliedChange[]>;
  getAllocationOperation(sku: string, id: string): Promise<AppliedAllocationOperation | undefined>;
  /** All writes in one atomic step (at most maxWritesPerCommit), or none of them. */
  commit(sku: string, writes: readonly InventoryWrite[]): Promise<CommitOutcome>;
}
