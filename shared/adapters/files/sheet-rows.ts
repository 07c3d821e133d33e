import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../domain/errors';

/** One data row of a CSV or XLSX file, numbered as a person finds it there (the header is row 1). */
export interface SheetRow<V> {
  row: number;
  values: Record<string, V>;
  /** A fault of the row's shape found while reading it (field count, stray cell). */
  error?: string;
}

export interface Sheet<V> {
  columns: string[];
  rows: SheetRow<V>[];
}

/** A file that cannot be read at all: a ValidationError at path ''. */
export function unreadable(message: string, cause?: unknown): ValidationError {
  return new ValidationError('The file cannot be read.', [{ path: '', message }], { cause });
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A CSV file's header and rows, each value as text. The delimiter is `,` unless the header line
 * uses only `;` (as spreadsheets in many locales save CSV); a row's number is the line it starts on.
 */
export function readCsvSheet(
  content: Buffer,
  columnName: (header: string) => string = (h) => h
): Sheet<string> {
  const text = content.toString('utf8');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (err) {
    throw unreadable(`Not valid CSV: ${describe(err)}`, err);
  }
  const [header, ...data] = records;
  if (header === undefined) throw unreadable('The file is empty.');
  const columns = header.record.map(columnName);
  const rows = data.map(({ record, info }): SheetRow<string> => {
    // `lines` is where the record ends; a quoted field with line breaks started earlier.
    const breaks = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const row = info.lines - breaks;
    const values = Object.fromEntries(columns.map((column, i) => [column, record[i] ?? '']));
    return record.length === columns.length
      ? { row, values }
      : { row, values, error: `has ${record.length} fields; the header names ${columns.length}` };
  });
  return { columns, rows };
}

/**
 * The first worksheet's header (row 1) and rows, each cell read by `cell`. A row whose named cells
 * are all blank (formatting only) is no row; a value in a column without a header is the row's error.
 */
export async function readXlsxSheet<V>(
  content: Buffer,
  cell: (value: unknown) => V,
  blank: (value: V) => boolean,
  columnName: (header: string) => string = (h) => h
): Promise<Sheet<V>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (err) {
    throw unreadable(`Not a readable XLSX workbook: ${describe(err)}`, err);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined || sheet.rowCount === 0) throw unreadable('The workbook has no rows.');
  const columns: { index: number; name: string }[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: false }, (headerCell, index) => {
    const value = cellValue(headerCell.value);
    const name = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
    if (name !== '') columns.push({ index, name: columnName(name) });
  });
  const rows: SheetRow<V>[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const values = Object.fromEntries(
      columns.map(({ index, name }) => [name, cell(cellValue(row.getCell(index).value))])
    );
    if (Object.values(values).every(blank)) return;
    const stray = (row.values as unknown[]).some(
      (v, index) => index > 0 && v != null && v !== '' && !columns.some((c) => c.index === index)
    );
    rows.push(
      stray
        ? { row: rowNumber, values, error: 'has a value in a column without a header' }
        : { row: rowNumber, values }
    );
  });
  return { columns: columns.map((c) => c.name), rows };
}

/** A cell's value: numbers and booleans stay as they are, everything else becomes its text. */
export function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellValue(value.result);
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return `#${String(value.error)}`;
  return undefined;
}
