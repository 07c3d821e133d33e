import type { ImportRowError, ParsedRow } from '../inventory/imports/import-rows';
import type { PurchaseOrderInput } from './supply-order';

/**
 * Purchase order file drops (docs/purchasing.md): one row per order line, the order's header
 * (`purchaseOrderId`, `supplier`, `sourceId`, `expectedDate`) repeated on each of its rows. Rows
 * become one input per order, in the order the file names them; a row that cannot be read is
 * reported with its row number and column, and its order is not imported (the others are).
 */

export const purchaseOrderColumns = [
  'purchaseOrderId',
  'supplier',
  'sourceId',
  'expectedDate',
  'lineId',
  'sku',
  'quantity',
  'lineExpectedDate',
] as const;
type Column = (typeof purchaseOrderColumns)[number];
const requiredColumns: readonly Column[] = [
  'purchaseOrderId',
  'sourceId',
  'expectedDate',
  'lineId',
  'sku',
  'quantity',
];
const headerColumns = ['supplier', 'sourceId', 'expectedDate'] as const;

/** One order of the file: its id, the rows it came from (line i from rows[i]) and its input. */
export interface PurchaseOrderFileGroup {
  id: string;
  rows: number[];
  input: PurchaseOrderInput;
}

interface RowGroup {
  rows: number[];
  header: Partial<Record<Column, string>>;
  /** Where each header value was first given. */
  headerRow: Partial<Record<Column, number>>;
  lines: PurchaseOrderInput['lines'];
  badRows: number[];
}

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Header problems (CSV, XLSX): unknown or repeated columns, missing required ones. Any refuses the file. */
export function checkPurchaseOrderHeader(columns: readonly string[]): ImportRowError[] {
  const errors: ImportRowError[] = [];
  const seen = new Set<Column>();
  for (const name of columns) {
    const column = canonicalColumn(name);
    if (column === undefined) {
      errors.push({
        row: 1,
        column: name,
        message: `is not a known column (${purchaseOrderColumns.join(', ')})`,
      });
    } else if (seen.has(column)) {
      errors.push({ row: 1, column: name, message: 'is named more than once' });
    } else {
      seen.add(column);
    }
  }
  for (const column of requiredColumns) {
    if (!seen.has(column)) errors.push({ row: 1, column, message: 'is required but missing' });
  }
  return errors;
}

/**
 * Groups rows into purchase order inputs. Each order's header comes from its first row that gives
 * it; a later row with another value is an error (a blank repeats the header). An order with any bad
 * row is left out whole, with one more error on its first row naming the rows to fix, so a file
 * never imports half an order. The inputs still go through the route's schema and rules after this.
 */
export function purchaseOrdersFromRows(rows: readonly ParsedRow[]): {
  orders: PurchaseOrderFileGroup[];
  /** Ids of the orders left out for a bad row. */
  failed: string[];
  errors: ImportRowError[];
} {
  const errors: ImportRowError[] = [];
  const groups = new Map<string, RowGroup>();
  for (const parsed of rows) {
    const rowErrors: ImportRowError[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ row: parsed.row, column, message });
    if (parsed.error !== undefined) fail('', parsed.error);
    const cells = new Map<Column, unknown>();
    for (const [name, value] of Object.entries(parsed.values)) {
      const column = canonicalColumn(name);
      if (column === undefined) fail(name, 'is not a known column');
      else cells.set(column, value);
    }
    const text = (column: Column) => textOf(cells.get(column));
    const id = text('purchaseOrderId');
    if (id === undefined) fail('purchaseOrderId', 'is required');
    for (const column of ['lineId', 'sku'] as const) {
      if (text(column) === undefined) fail(column, 'is required');
    }
    const quantity = numberOf(cells.get('quantity'));
    if (quantity === undefined) fail('quantity', 'must be a number');
    const expectedDate = dateOf(cells.get('expectedDate'));
    if (text('expectedDate') !== undefined && expectedDate === undefined) {
      fail('expectedDate', 'must be a date (YYYY-MM-DD)');
    }
    const lineExpectedDate = cells.get('lineExpectedDate');
    const lineDate = textOf(lineExpectedDate) === undefined ? undefined : dateOf(lineExpectedDate);
    if (textOf(lineExpectedDate) !== undefined && lineDate === undefined) {
      fail('lineExpectedDate', 'must be a date (YYYY-MM-DD)');
    }
    if (id === undefined) {
      errors.push(...rowErrors);
      continue;
    }
    let group = groups.get(id);
    if (group === undefined) {
      group = { rows: [], header: {}, headerRow: {}, lines: [], badRows: [] };
      groups.set(id, group);
    }
    group.rows.push(parsed.row);
    const values: Record<(typeof headerColumns)[number], string | undefined> = {
      supplier: text('supplier'),
      sourceId: text('sourceId'),
      expectedDate,
    };
    for (const column of headerColumns) {
      const value = values[column];
      if (value === undefined) continue;
      const earlier = group.header[column];
      if (earlier === undefined) {
        group.header[column] = value;
        group.headerRow[column] = parsed.row;
      } else if (earlier !== value) {
        fail(column, `differs from row ${group.headerRow[column]} of the same purchase order ('${earlier}')`);
      }
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      group.badRows.push(parsed.row);
      continue;
    }
    group.lines.push({
      lineId: text('lineId')!,
      sku: text('sku')!,
      quantity: quantity!,
      ...(lineDate === undefined ? {} : { expectedDate: lineDate }),
    });
  }
  const orders: PurchaseOrderFileGroup[] = [];
  const failed: string[] = [];
  for (const [id, group] of groups) {
    // A blank header cell repeats the order's header, so only the order as a whole can lack one.
    const missing = (['sourceId', 'expectedDate'] as const).filter((c) => group.header[c] === undefined);
    if (group.badRows.length === 0 && missing.length > 0) {
      for (const column of missing) {
        errors.push({ row: group.rows[0]!, column, message: 'is required on at least one row of the order' });
      }
      group.badRows.push(group.rows[0]!);
    }
    if (group.badRows.length > 0) {
      failed.push(id);
      errors.push({
        row: group.rows[0]!,
        column: 'purchaseOrderId',
        message: `purchase order ${id} was not imported: fix row${group.badRows.length > 1 ? 's' : ''} ${group.badRows.join(', ')}`,
      });
      continue;
    }
    orders.push({
      id,
      rows: group.rows,
      input: {
        ...(group.header.supplier === undefined ? {} : { supplier: group.header.supplier }),
        sourceId: group.header.sourceId!,
        expectedDate: group.header.expectedDate!,
        lines: group.lines,
      },
    });
  }
  return { orders, failed, errors: errors.sort((a, b) => a.row - b.row) };
}

/**
 * Where an issue of an order's input (a path of the route's body, `/lines/2/quantity`) is in the
 * file: the row of that line and the column; a header issue (`/sourceId`) is on the order's first row.
 */
export function rowErrorOf(
  group: PurchaseOrderFileGroup,
  issue: { path: string; message: string }
): ImportRowError {
  const line = /^\/lines\/(\d+)(?:\/(\w+))?/.exec(issue.path);
  if (line !== null) {
    const field = line[2] === 'expectedDate' ? 'lineExpectedDate' : (line[2] ?? '');
    return { row: group.rows[Number(line[1])] ?? group.rows[0]!, column: field, message: issue.message };
  }
  const column = issue.path.replace(/^\//, '').split('/')[0] ?? '';
  return { row: group.rows[0]!, column: column === 'lines' ? 'lineId' : column, message: issue.message };
}

function canonicalColumn(name: string): Column | undefined {
  const wanted = name.trim().toLowerCase();
  return purchaseOrderColumns.find((column) => column.toLowerCase() === wanted);
}

/** A cell as text: strings trimmed, numbers written out (spreadsheets store `1001` as a number). */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * A date as text `YYYY-MM-DD`, or a spreadsheet date cell (read as the ISO instant of its UTC
 * midnight, or a Date); the schema then checks the day is real.
 */
function dateOf(value: unknown): string | undefined {
  const text = textOf(value);
  const match = text === undefined ? null : /^(\d{4}-\d{2}-\d{2})(?:T00:00:00(?:\.000)?Z)?$/.exec(text);
  return match?.[1];
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!numberPattern.test(text)) return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}
