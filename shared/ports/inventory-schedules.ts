import type { InventorySchedule, ScheduleLink } from '../domain/inventory/atp/atp-schedule';

/** A schedule entry with the version it was read or written at (the storage ETag, opaque). */
export interface VersionedSchedule {
  schedule: InventorySchedule;
  etag: string;
}

export interface ScheduleFilter {
  sku: string;
  /** Only these sources; absent: every source. */
  sourceIds?: readonly string[];
  /** ISO dates, both inclusive. */
  from?: string;
  to?: string;
}

/** Change schedules (future supply and demand) in the `inventory` container, partition = SKU. */
export interface InventoryScheduleStore {
  /** The entry with this id, whatever its SKU. */
  get(id: string): Promise<VersionedSchedule | undefined>;
  /** ConflictError when the id exists for this SKU. */
  create(schedule: InventorySchedule): Promise<VersionedSchedule>;
  /** PreconditionFailedError when it changed since `etag`, NotFoundError when it is gone. */
  replace(schedule: InventorySchedule, etag: string): Promise<VersionedSchedule>;
  /** PreconditionFailedError when it changed since `etag`, NotFoundError when it is gone. */
  delete(schedule: InventorySchedule, etag: string): Promise<void>;
  /** One SKU's entries, ordered by date then id. */
  find(filter: ScheduleFilter): Promise<InventorySchedule[]>;
  /** Every entry linked to one purchase or transfer order, any SKU. */
  findLinked(order: Omit<ScheduleLink, 'lineId'>): Promise<VersionedSchedule[]>;
}

/** Stock that can be promised now, per row (the `availableToReserve` measure, docs/inventory.md). */
export interface StockLevel {
  sku: string;
  sourceId: string;
  quantity: number;
}

/** Day-0 stock for ATP and holds, read from the inventory rows. */
export interface InventoryLevels {
  /** A row per (sku, source) that has one; absent sources have nothing. */
  availableToReserve(skus: readonly string[], sourceIds?: readonly string[]): Promise<StockLevel[]>;
}
