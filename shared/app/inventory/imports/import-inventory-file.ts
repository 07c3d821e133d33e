import { ValidationError } from '../../../domain/errors';
import {
  changesFromRows,
  checkImportHeader,
  maxImportRows,
  type ImportedChange,
  type ImportRowError,
} from '../../../domain/inventory/imports/import-rows';
import type { Clock } from '../../../ports/clock';
import { applyInventoryChanges } from '../apply-inventory-changes';
import type { InventoryDeps } from '../../../ports/inventory-requests';
import type {
  ApplyInventoryChangesFn,
  ImportReport,
  ImportReportStore,
  InventoryFileParser,
  ParsedImportFile,
} from '../../../ports/inventory-imports';

export interface ImportInventoryFileDeps {
  parser: InventoryFileParser;
  applyChanges: ApplyInventoryChangesFn;
  reports: ImportReportStore;
  clock: Clock;
}

export interface DroppedFile {
  /** The blob name in `inventory-imports`. */
  name: string;
  /** The blob version (ETag) the trigger fired for. */
  etag: string;
  /** A short id of (name, ETag) without `/ \ ? #`: derived change ids start with it. */
  key: string;
  content: Uint8Array;
}

/** Changes go to the inventory in chunks of this many (the bulk route's limit, IOM's 512). */
export const importChunkSize = 512;

/**
 * A file dropped in `inventory-imports` (docs/inventory.md, the Inventory Visibility file drop): parse it by
 * its extension, turn each row into a change event (its own id, or `{file key}-{row}`), apply the
 * good ones, and write a report with per-row errors and counts. A file that cannot be read or whose
 * header is wrong applies nothing. A file version delivered again after its report was written keeps
 * that report; one that failed half-way applies nothing twice (the change events' ids), and its
 * report says which rows were duplicates.
 */
export async function importInventoryFile(
  deps: ImportInventoryFileDeps,
  file: DroppedFile
): Promise<ImportReport> {
  const previous = file.etag === '' ? undefined : await deps.reports.read(file.name);
  if (previous?.etag === file.etag) return previous;
  const report: ImportReport = {
    file: file.name,
    etag: file.etag,
    processedAt: deps.clock.now().toISOString(),
    rows: 0,
    applied: 0,
    duplicates: 0,
    failed: 0,
    errors: [],
  };
  let parsed: ParsedImportFile;
  try {
    parsed = await deps.parser.parse(file.name, file.content);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    report.errors = err.errors.map((issue) => ({ row: 0, column: '', message: issue.message }));
    await deps.reports.write(file.name, report);
    return report;
  }
  report.format = parsed.format;
  report.rows = parsed.rows.length;
  const fileErrors: ImportRowError[] = parsed.columns === undefined ? [] : checkImportHeader(parsed.columns);
  if (parsed.rows.length > maxImportRows) {
    fileErrors.push({
      row: 0,
      column: '',
      message: `has ${parsed.rows.length} rows; split it into files of at most ${maxImportRows}`,
    });
  }
  if (fileErrors.length > 0) {
    report.failed = parsed.rows.length;
    report.errors = fileErrors;
    await deps.reports.write(file.name, report);
    return report;
  }

  const { changes, errors } = changesFromRows(parsed.rows, file.key);
  const refused: ImportRowError[] = [];
  for (let start = 0; start < changes.length; start += importChunkSize) {
    const chunk = changes.slice(start, start + importChunkSize);
    const outcomes = await deps.applyChanges(chunk);
    chunk.forEach((change: ImportedChange, i) => {
      const outcome = outcomes[i];
      if (outcome?.outcome === 'applied') report.applied++;
      else if (outcome?.outcome === 'duplicate') report.duplicates++;
      else refused.push({ row: change.row, column: '', message: outcome?.message ?? 'was not applied' });
    });
  }
  report.errors = [...errors, ...refused].sort((a, b) => a.row - b.row);
  report.failed = new Set(report.errors.map((e) => e.row)).size;
  await deps.reports.write(file.name, report);
  return report;
}

/** The inventory core's applyInventoryChanges as the import needs it: one outcome per change, in order. */
export function applyChangesWith(deps: InventoryDeps): ApplyInventoryChangesFn {
  return async (changes) => {
    const results = await applyInventoryChanges(
      deps,
      changes.map(({ id, sku, sourceId, measure, quantity, mode }) => ({
        id,
        sku,
        sourceId,
        measure,
        quantity,
        mode,
      }))
    );
    return changes.map((change, index) => {
      const result = results.find((r) => r.index === index);
      if (result === undefined) return { id: change.id, outcome: 'error', message: 'was not applied' };
      if (result.status !== 'error') return { id: change.id, outcome: result.status };
      const fields = (result.errors ?? []).map((e) => `${e.path.replace(/^\//, '') || 'row'} ${e.message}`);
      return {
        id: change.id,
        outcome: 'error',
        message: fields.length > 0 ? fields.join('; ') : (result.message ?? 'was refused'),
      };
    });
  };
}
