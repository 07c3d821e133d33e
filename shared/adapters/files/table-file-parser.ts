import type { ParsedRow } from '../../domain/inventory/imports/import-rows';
import type { ParsedTableFile, TableFileParser } from '../../ports/table-files';
import { readCsvSheet, readXlsxSheet, unreadable } from './sheet-rows';

/**
 * Reads dropped table files (inventory, purchase order and master-data imports) by extension (`.csv`, `.xlsx`,
 * `.json`) into rows with the numbers a person finds them under: the line for CSV, the worksheet
 * row for XLSX (the header is row 1), the 1-based position in the array for JSON. JSON is an array
 * of objects or `{ "items": [...] }`. A file that cannot be read at all is a ValidationError.
 */
export const tableFileParser: TableFileParser = {
  async parse(name: string, content: Uint8Array): Promise<ParsedTableFile> {
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

function readCsv(content: Buffer): ParsedTableFile {
  return { format: 'csv', ...readCsvSheet(content) };
}

async function readXlsx(content: Buffer): Promise<ParsedTableFile> {
  const sheet = await readXlsxSheet(
    content,
    (value) => value,
    (value) => value === undefined || value === ''
  );
  return { format: 'xlsx', ...sheet };
}

function readJson(content: Buffer): ParsedTableFile {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw unreadable(`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const items: unknown = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && 'items' in body
      ? body.items
      : undefined;
  if (!Array.isArray(items)) throw unreadable('The JSON must be an array of objects or { "items": [...] }.');
  const rows = items.map((item: unknown, index): ParsedRow => {
    const row = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { row, values: {}, error: 'is not an object' };
    }
    return { row, values: item as Record<string, unknown> };
  });
  return { format: 'json', rows };
}
