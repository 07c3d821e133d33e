import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../domain/errors';
import type { ParsedRow } from '../../domain/inventory/imports/import-rows';
import type { InventoryFileParser, ParsedImportFile } from '../../ports/inventory-imports';

/**
 * Reads inventory files by extension (`.csv`, `.xlsx`, `.json`) into rows with the numbers a person
 * finds them under: the line for CSV, the worksheet row for XLSX (the header is row 1), the 1-based
 * position in the array for JSON. A file that cannot be read at all is a ValidationError.
 */
export const inventoryFileParser: InventoryFileParser = {
  async parse(name: string, content: Uint8Array): Promise<ParsedImportFile> {
    const extension = /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase();
    switch (extension) {
      case 'csv':
        return readCsv(Buffer.from(content));
      case 'xlsx':
        return readXlsx(Buffer.from(content));
      case 'json':
        return readJson(Buffer.from(content));
      default:
        throw unreadable(`Files named .${extension ?? ''} are not read; use .csv, .xlsx or .json.`);
    }
  },
};

function unreadable(message: string, cause?: unknown): ValidationError {
  return new ValidationError('The file cannot be read.', [{ path: '', message }], { cause });
}

function readCsv(content: Buffer): ParsedImportFile {
  const text = content.toString('utf8');
  // Spreadsheets in many locales save CSV with `;`; the header line says which one this file uses.
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  let records: { record: string[]; info: { lines: number; error?: unknown } }[];
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
    throw unreadable(`Not valid CSV: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const [header, ...data] = records;
  if (header === undefined) throw unreadable('The file is empty.');
  const columns = header.record;
  const rows = data.map(({ record, info }): ParsedRow => {
    // `lines` is where the record ends; a quoted field with line breaks started earlier.
    const breaks = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const row = info.lines - breaks;
    const values = Object.fromEntries(columns.map((column, i) => [column, record[i] ?? '']));
    return record.length === columns.length
      ? { row, values }
      : { row, values, error: `has ${record.length} fields; the header names ${columns.length}` };
  });
  return { format: 'csv', columns, rows };
}

async function readXlsx(content: Buffer): Promise<ParsedImportFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (err) {
    throw unreadable(
      `Not a readable XLSX workbook: ${err instanceof Error ? err.message : String(err)}`,
      err
    );
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined || sheet.rowCount === 0) throw unreadable('The workbook has no rows.');
  const headerRow = sheet.getRow(1);
  const columns: { index: number; name: string }[] = [];
  headerRow.eachCell({ includeEmpty: false }, (cell, index) => {
    const value = cellValue(cell.value);
    const name = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
    if (name !== '') columns.push({ index, name });
  });
  const rows: ParsedRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const values = Object.fromEntries(
      columns.map(({ index, name }) => [name, cellValue(row.getCell(index).value)])
    );
    // A row whose named cells are all empty (formatting only) is no row.
    if (Object.values(values).every((v) => v === undefined || v === '')) return;
    const stray = (row.values as unknown[]).some(
      (v, index) => index > 0 && v != null && v !== '' && !columns.some((c) => c.index === index)
    );
    rows.push(
      stray
        ? { row: rowNumber, values, error: 'has a value in a column without a header' }
        : { row: rowNumber, values }
    );
  });
  return { format: 'xlsx', columns: columns.map((c) => c.name), rows };
}

/** A cell's value as the rows expect it: numbers stay numbers, everything else becomes its text. */
function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellValue(value.result);
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return `#${String(value.error)}`;
  return undefined;
}

function readJson(content: Buffer): ParsedImportFile {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw unreadable(`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const items = Array.isArray(body) ? body : undefined;
  if (items === undefined) throw unreadable('The JSON must be an array of change objects.');
  const rows = items.map((item, index): ParsedRow => {
    const row = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { row, values: {}, error: 'is not an object' };
    }
    return { row, values: item as Record<string, unknown> };
  });
  return { format: 'json', rows };
}
