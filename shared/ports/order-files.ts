/** One inbound provider message read from a dropped order file. */
export interface OrderFileMessage {
  /**
   * `order-rows` (CSV, XLSX), `x12-850` (X12) or `order` (JSON, which the caller may re-type); the
   * `string & Record<never, never>` keeps any other type allowed without swallowing the named ones.
   */
  messageType: 'order-rows' | 'x12-850' | 'order' | (string & Record<never, never>);
  /** Stable within the file: e.g. `order-1001`, `st-000000057-000000057-0001`, `item-3`. */
  key: string;
  /** 1-based row/segment/item numbers in the file this message came from. */
  rows: number[];
  body: unknown;
}

/** A row (CSV line, worksheet row, JSON item, X12 segment number) that became no message, and why. */
export interface OrderFileRowError {
  row: number;
  message: string;
  /** The key of the order (as OrderFileMessage.key) the row belongs to, when the row names one. */
  order?: string;
}

/** A file as the reader read it: the messages it holds and the rows that did not become one. */
export interface ReadOrderFile {
  format: 'csv' | 'xlsx' | 'json' | 'x12';
  messages: OrderFileMessage[];
  errors: OrderFileRowError[];
}

/**
 * Reads a file dropped into `order-imports/{instanceId}/...` by its extension; ValidationError
 * (path = '') when it cannot be read at all.
 */
export interface OrderFileReader {
  read(name: string, content: Uint8Array): Promise<ReadOrderFile>;
}
