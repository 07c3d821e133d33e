import type { ParsedRow } from '../../domain/inventory/imports/import-rows';
import type { InventoryFileParser, ParsedImportFile } from '../../ports/inventory-imports';
import { readCsvSheet, readXlsxSheet, unreadable } from '../files/sheet-rows';

/**
 * Reads dropped files (inventory changes, purchase orders) by extension (`.csv`, `.xlsx`, `.json`)
 * into rows with the numbers a person finds them under: the line for CSV, the worksheet row for XLSX (the header is row 1), the 1-based
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

function readCsv(content: Buffer): ParsedImportFile {
  return { format: 'csv', ...readCsvSheet(content) };
}

async function readXlsx(content: Buffer): Promise<ParsedImportFile> {
  const sheet = await readXlsxSheet(
    content,
    (value) => value,
    (value) => value === undefined || value === ''
  );
  return { format: 'xlsx', ...sheet };
}

function readJson(content: Buffer): ParsedImportFile {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw unreadable(`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const items = Array.isArray(body) ? body : undefined;
  if (items === undefined) throw unreadable('The JSON must be an array of row objects.');
  const rows = items.map((item, index): ParsedRow => {
    const row = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { row, values: {}, error: 'is not an object' };
    }
    return { row, values: item as Record<string, unknown> };
  });
  return { format: 'json', rows };
}
