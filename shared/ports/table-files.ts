import type { ParsedRow } from '../domain/inventory/imports/import-rows';

/** A dropped table file (CSV, XLSX or JSON) as the parser read it. */
export interface ParsedTableFile {
  format: 'csv' | 'xlsx' | 'json';
  /** The header's column names (CSV, XLSX); absent for JSON, whose objects name their own fields. */
  columns?: string[];
  rows: ParsedRow[];
}

/**
 * Reads a dropped file by its extension into rows numbered as a person finds them in the file;
 * ValidationError (path = '') when it cannot be read at all. Inventory and master-data file drops
 * both read files through it.
 */
export interface TableFileParser {
  parse(name: string, content: Uint8Array): Promise<ParsedTableFile>;
}
