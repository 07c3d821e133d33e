/**
 * Inventory file drops (docs/inventory.md, IOM's Inventory Visibility file upload): rows parsed from a CSV,
 * XLSX or JSON file become inventory change events, and every row that cannot become one is
 * reported with its row number, column and what is wrong, so the good rows can be applied and the
 * bad ones fixed and sent again.
 */

export type ImportMode = 'delta' | 'set';

/** One change a good row asks for. */
export interface ImportedChange {
  /** The row's own id, or one derived from the file version and the row number. */
  id: string;
  sku: string;
  sourceId: string;
  measure: string;
  quantity: number;
  /** `delta` adds the quantity to the measure; `set` makes it the measure's value. */
  mode: ImportMode;
  /** Where the row was in the file. */
  row: number;
}

export interface ImportRowError {
  /** The row number as a person finds it in the file (see `ParsedRow.row`); 0 for the whole file. */
  row: number;
  /** The column at fault, '' when it is the row or file as a whole. */
  column: string;
  message: string;
}

/** A row as a parser produced it: the header's column names mapped to cell values. */
export interface ParsedRow {
  /**
   * CSV and XLSX: the line / worksheet row number (the header is row 1, so data starts at 2).
   * JSON: the 1-based position of the object in the array.
   */
  row: number;
  values: Readonly<Record<string, unknown>>;
  /** What the parser found wrong with the row as a whole (e.g. more cells than the header names). */
  error?: string;
}

export const importColumns = ['id', 'sku', 'sourceId', 'measure', 'quantity', 'mode'] as const;
const requiredColumns = ['sku', 'sourceId', 'measure', 'quantity'] as const;
type Column = (typeof importColumns)[number];

/** Most rows one file may carry; a larger file is refused as a whole (split it). */
export const maxImportRows = 100_000;

// The same rules as the routes' schemas: ids that Cosmos and URLs accept, without edge white space.
const keyPattern = /^[^\s/\\?#\p{Cc}](?:[^/\\?#\p{Cc}]*[^\s/\\?#\p{Cc}])?$/u;
const measurePattern = /^[A-Za-z][A-Za-z0-9]{0,39}$/; // measures.ts
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Problems with a header (CSV, XLSX): a required column missing, a column named twice, or one we do
 * not know (a misspelt `mode` would otherwise turn every `set` into a `delta`). Names compare
 * case-insensitively. Any problem here refuses the whole file.
 */
export function checkImportHeader(columns: readonly string[], headerRow = 1): ImportRowError[] {
  const errors: ImportRowError[] = [];
  const seen = new Set<Column>();
  for (const name of columns) {
    const column = canonicalColumn(name);
    if (column === undefined) {
      errors.push({
        row: headerRow,
        column: name,
        message: `is not a known column (${importColumns.join(', ')})`,
      });
    } else if (seen.has(column)) {
      errors.push({ row: headerRow, column: name, message: 'is named more than once' });
    } else {
      seen.add(column);
    }
  }
  for (const column of requiredColumns) {
    if (!seen.has(column)) errors.push({ row: headerRow, column, message: 'is required but missing' });
  }
  return errors;
}

/**
 * Turns parsed rows into change events. `fileKey` identifies the file version (name and ETag; ids
 * may use it as is: no `/ \ ? #`), so a row without an id gets `{fileKey}-{row}` and processing the
 * same file again yields the same ids, which the change events' idempotency then ignores. A row id
 * that repeats an earlier row's id is an error on the later row.
 */
export function changesFromRows(
  rows: readonly ParsedRow[],
  fileKey: string
): { changes: ImportedChange[]; errors: ImportRowError[] } {
  const changes: ImportedChange[] = [];
  const errors: ImportRowError[] = [];
  const idRows = new Map<string, number>();
  for (const parsed of rows) {
    const rowErrors: ImportRowError[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ row: parsed.row, column, message });
    if (parsed.error !== undefined) {
      errors.push({ row: parsed.row, column: '', message: parsed.error });
      continue;
    }
    const cells = new Map<Column, unknown>();
    for (const [name, value] of Object.entries(parsed.values)) {
      const column = canonicalColumn(name);
      if (column === undefined) fail(name, 'is not a known column');
      else cells.set(column, value);
    }

    const id = optionalText(cells.get('id'));
    if (id !== undefined && (id.length > 100 || !keyPattern.test(id))) {
      fail('id', 'must be 1-100 characters without / \\ ? # or edge spaces');
    }
    const sku = key(cells.get('sku'), 'sku', fail);
    const sourceId = key(cells.get('sourceId'), 'sourceId', fail);
    const measure = optionalText(cells.get('measure'));
    if (measure === undefined) fail('measure', 'is required');
    else if (!measurePattern.test(measure)) fail('measure', 'must be a measure name such as onhand');
    const modeText = optionalText(cells.get('mode'))?.toLowerCase() ?? 'delta';
    const mode = modeText === 'delta' || modeText === 'set' ? modeText : undefined;
    if (mode === undefined) fail('mode', 'must be delta or set');
    const quantity = numberOf(cells.get('quantity'));
    if (quantity === undefined) fail('quantity', 'must be a number');
    else if (mode === 'set' && quantity < 0) fail('quantity', 'must not be negative when mode is set');

    const changeId = id ?? `${fileKey}-${parsed.row}`;
    const earlier = idRows.get(changeId);
    if (id !== undefined && earlier !== undefined) fail('id', `repeats the id of row ${earlier}`);

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    idRows.set(changeId, parsed.row);
    changes.push({
      id: changeId,
      sku: sku!,
      sourceId: sourceId!,
      measure: measure!,
      quantity: quantity!,
      mode: mode!,
      row: parsed.row,
    });
  }
  return { changes, errors };
}

function canonicalColumn(name: string): Column | undefined {
  const wanted = name.trim().toLowerCase();
  return importColumns.find((column) => column.toLowerCase() === wanted);
}

/** A cell as text: strings trimmed, numbers written out (spreadsheets store `1001` as a number). */
function optionalText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

function key(value: unknown, column: string, fail: (column: string, message: string) => void) {
  const text = optionalText(value);
  if (text === undefined) fail(column, 'is required');
  else if (text.length > 100 || !keyPattern.test(text)) {
    fail(column, 'must be 1-100 characters without / \\ ? #');
  } else return text;
  return undefined;
}

/** A finite number from a number cell or a plain decimal text (`12`, `-3.5`, `1e3`); not `''`, `0x1F`, `1,5`. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!numberPattern.test(text)) return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}
