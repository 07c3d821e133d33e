import type { ImportedChange, ImportRowError } from '../domain/inventory/imports/import-rows';
import type { ParsedTableFile, TableFileParser } from './table-files';

/** A file as a parser read it. */
export type ParsedImportFile = ParsedTableFile;

/** Reads a dropped file by its extension; ValidationError (path = '') when it cannot be read at all. */
export type InventoryFileParser = TableFileParser;

/** What became of one change: applied, already applied earlier (same id), or refused with a reason. */
export interface ChangeOutcome {
  id: string;
  outcome: 'applied' | 'duplicate' | 'error';
  message?: string;
}

/** Applies change events (the inventory core's applyInventoryChanges), one outcome per change in order. */
export type ApplyInventoryChangesFn = (changes: readonly ImportedChange[]) => Promise<ChangeOutcome[]>;

/** The outcome of one dropped file, written beside it for whoever dropped it. */
export interface ImportReport {
  file: string;
  etag: string;
  format?: ParsedImportFile['format'];
  processedAt: string;
  /** Data rows read (0 when the file could not be read). */
  rows: number;
  applied: number;
  /** Rows whose change was already applied (the same file processed again, or a repeated id). */
  duplicates: number;
  /** Rows not applied: bad rows and rows the inventory refused. */
  failed: number;
  errors: ImportRowError[];
}

/** Reports in the `inventory-imports-results` container, `{name}.json`. */
export interface ImportReportStore<R = ImportReport> {
  /** The report last written for `name`, if any. */
  read(name: string): Promise<R | undefined>;
  write(name: string, report: R): Promise<void>;
}
