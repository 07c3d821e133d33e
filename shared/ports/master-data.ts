import type { ItemIssue, MasterDataEntity, UpsertCounts } from '../domain/master-data/master-data-entities';

/** A stored master-data record with the version it was read at (the storage ETag, opaque). */
export interface StoredRecord {
  value: object;
  etag: string;
}

/** A record to write: a new one (no etag) or a replacement of the version read. */
export interface RecordWrite {
  id: string;
  value: object;
  etag?: string;
}

/**
 * Master data in the `catalog` container, one partition per record (`product:{sku}`,
 * `account:{id}`, ...), in the same documents the products and sources routes read and write.
 */
export interface MasterDataStore {
  get(entity: MasterDataEntity, id: string): Promise<StoredRecord | undefined>;
  /** The records of these ids that exist, by id (one query per page of ids, best with neighbouring ids). */
  readMany(entity: MasterDataEntity, ids: readonly string[]): Promise<Map<string, StoredRecord>>;
  /**
   * Creates (no `etag`) or replaces at `etag` each record, `concurrency` at once, each write
   * standing alone; answers each one's outcome in order: `written`, or `lost-race` when the record
   * exists already (create) or moved on or went away (replace). Any other failure throws.
   */
  writeMany(
    entity: MasterDataEntity,
    writes: readonly RecordWrite[],
    concurrency: number
  ): Promise<('written' | 'lost-race')[]>;
}

/** An import of a dropped file, as recorded while it runs and after (the progress record). */
export interface MasterDataImport extends UpsertCounts {
  importId: string;
  /** The file's folder: one of the entities, or what was named instead (then the import failed). */
  entity: string;
  /** The blob's name in `master-data-imports` (`{entity}/{file}`) and the version imported. */
  file: string;
  etag: string;
  format?: 'csv' | 'xlsx' | 'json';
  status: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** Rows read from the file, and how many of them are done (created, updated, unchanged or failed). */
  rows: number;
  processed: number;
  /** Per-row errors, ordered by row; the record keeps the first 1,000, the report blob all. */
  errors: { row: number; path: string; message: string }[];
  errorsTruncated?: boolean;
}

/** Import records in the `jobs` container (partition `master-data-import`). */
export interface MasterDataImportRecords {
  get(importId: string): Promise<MasterDataImport | undefined>;
  /** The latest imports first, optionally of one entity. */
  list(entity: MasterDataEntity | undefined, limit: number): Promise<MasterDataImport[]>;
  save(record: MasterDataImport): Promise<void>;
}

/** Where each imported file's report is written (`master-data-imports-results/{entity}/{file}.json`). */
export interface MasterDataReportStore {
  write(file: string, report: MasterDataImport): Promise<void>;
}

export type { ItemIssue };
