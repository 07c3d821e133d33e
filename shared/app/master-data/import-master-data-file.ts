import { ValidationError } from '../../domain/errors';
import { itemFromRow } from '../../domain/master-data/item-from-row';
import {
  isMasterDataEntity,
  masterDataEntities,
  type MasterDataEntity,
  type UpsertCounts,
} from '../../domain/master-data/master-data-entities';
import type { Clock } from '../../ports/clock';
import type {
  MasterDataImport,
  MasterDataImportRecords,
  MasterDataReportStore,
} from '../../ports/master-data';
import type { ParsedTableFile, TableFileParser } from '../../ports/table-files';
import { importFileKey } from '../inventory/imports/import-dropped-file';
import type { MasterDataKind } from './master-data-kinds';
import { upsertMasterData, type PlacedItem, type UpsertMasterDataDeps } from './upsert-master-data';

export interface ImportMasterDataFileDeps extends UpsertMasterDataDeps {
  parser: TableFileParser;
  kinds: Readonly<Record<MasterDataEntity, MasterDataKind>>;
  records: MasterDataImportRecords;
  reports: MasterDataReportStore;
  clock: Clock;
}

/** A file dropped in `master-data-imports`: `{entity}/{file}` and the blob version's ETag. */
export interface MasterDataFile {
  name: string;
  etag: string;
  content: Uint8Array;
}

/** Most rows one file may carry; a larger file is refused as a whole (split it). */
export const maxMasterDataRows = 100_000;
/** The import record keeps this many errors; the report blob keeps them all. */
const recordedErrors = 1000;

/**
 * Imports a master-data file (docs/master-data.md): its folder names the entity, its rows are
 * upserted by key (upsertMasterData: unchanged rows write nothing), and the import's record in
 * `jobs` shows progress after every page of rows while it runs; the report, with every bad row's
 * number, path and message, is written beside the file when it is done. The same blob version
 * delivered again (the trigger's retry) answers the finished import; the same content dropped again
 * is imported again and changes nothing.
 */
export async function importMasterDataFile(
  deps: ImportMasterDataFileDeps,
  file: MasterDataFile
): Promise<MasterDataImport> {
  const importId = importFileKey(file.name, file.etag || Buffer.from(file.content).toString('base64'));
  const previous = await deps.records.get(importId);
  if (previous?.status === 'completed' || previous?.status === 'failed') return previous;
  const folder = file.name.split('/', 1)[0] ?? '';
  const record: MasterDataImport = {
    importId,
    entity: folder,
    file: file.name,
    etag: file.etag,
    status: 'running',
    startedAt: deps.clock.now().toISOString(),
    rows: 0,
    processed: 0,
    items: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
  };
  // A fault of the file as a whole is reported at row 0.
  const fail = (message: string) =>
    finish(deps, { ...record, status: 'failed' }, [{ row: 0, path: '', message }]);
  if (!isMasterDataEntity(folder) || !file.name.includes('/')) {
    return fail(`is not in an entity's folder (${masterDataEntities.map((e) => `${e}/`).join(', ')})`);
  }
  const kind = deps.kinds[folder];
  let parsed: ParsedTableFile;
  try {
    parsed = await deps.parser.parse(file.name, file.content);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return fail(err.errors.map((issue) => issue.message).join('; '));
  }
  record.format = parsed.format;
  record.rows = parsed.rows.length;
  if (parsed.rows.length > maxMasterDataRows) {
    return fail(`has ${parsed.rows.length} rows; split it into files of at most ${maxMasterDataRows}`);
  }
  await deps.records.save(record);

  const shapeErrors: MasterDataImport['errors'] = [];
  const items: PlacedItem[] = [];
  for (const row of parsed.rows) {
    if (row.error !== undefined) shapeErrors.push({ row: row.row, path: '', message: row.error });
    else
      items.push({
        at: row.row,
        item: parsed.format === 'json' ? row.values : cellsAsItem(kind, row.values),
      });
  }
  const tally = (counts: UpsertCounts) => {
    record.items = record.rows;
    record.created = counts.created;
    record.updated = counts.updated;
    record.unchanged = counts.unchanged;
    record.failed = counts.failed + shapeErrors.length;
    record.processed = record.created + record.updated + record.unchanged + record.failed;
  };
  const { counts, issues } = await upsertMasterData(deps, kind, items, 'row', async (progress) => {
    tally(progress);
    await deps.records.save(record);
  });
  tally(counts);
  const columnPath = parsed.format === 'json' ? (path: string) => path : pathsOfColumns(kind);
  const errors = [
    ...shapeErrors,
    ...issues.map(({ at, path, message }) => ({ row: at, path: columnPath(path), message })),
  ];
  errors.sort((a, b) => a.row - b.row);
  return finish(deps, { ...record, status: 'completed' }, errors);
}

/** A CSV or XLSX row as an item: columns moved to their place, cells nested and typed by the schema. */
function cellsAsItem(
  kind: MasterDataKind,
  values: Readonly<Record<string, unknown>>
): Record<string, unknown> {
  const placed =
    kind.columnPlace === undefined
      ? values
      : Object.fromEntries(
          Object.entries(values).map(([column, v]) => [kind.columnPlace?.[column] ?? column, v])
        );
  return itemFromRow(placed, kind.schema);
}

/** An item path back at the column it came from (a price-list row's `/prices/0/sku` is `/sku`). */
function pathsOfColumns(kind: MasterDataKind): (path: string) => string {
  const places = Object.entries(kind.columnPlace ?? {}).map(
    ([column, place]) => [`/${place.replace(/\./g, '/')}`, `/${column}`] as const
  );
  return (path) => {
    const found = places.find(([place]) => path === place || path.startsWith(`${place}/`));
    return found === undefined ? path : `${found[1]}${path.slice(found[0].length)}`;
  };
}

async function finish(
  deps: ImportMasterDataFileDeps,
  record: MasterDataImport,
  errors: MasterDataImport['errors']
): Promise<MasterDataImport> {
  const done: MasterDataImport = { ...record, finishedAt: deps.clock.now().toISOString(), errors };
  if (done.status === 'failed') done.failed = done.rows;
  await deps.reports.write(done.file, done);
  await deps.records.save(
    errors.length > recordedErrors
      ? { ...done, errors: errors.slice(0, recordedErrors), errorsTruncated: true }
      : done
  );
  return done;
}
