import {
  X12Parser,
  type X12FatInterchange,
  type X12Interchange,
  type X12Segment,
  type X12Transaction,
} from 'node-x12';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import type {
  OrderFileMessage,
  OrderFileReader,
  OrderFileRowError,
  ReadOrderFile,
} from '../../ports/order-files';
import { describe, readCsvSheet, readXlsxSheet, unreadable, type Sheet, type SheetRow } from './sheet-rows';

/**
 * Reads order files dropped for a provider instance into inbound provider messages, by extension:
 * `.csv` and `.xlsx` (rows grouped into one `order-rows` message per order number), `.json` (one
 * `order` message per element) and `.edi`, `.x12` or an X12 `.txt` (one `x12-850` message per 850
 * transaction set). Row numbers are what a person finds in the file: the CSV line (header = 1), the
 * worksheet row, the 1-based JSON position, the X12 segment number of the set's ST.
 */
export const orderFileReader: OrderFileReader = {
  async read(name: string, content: Uint8Array): Promise<ReadOrderFile> {
    const extension = /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase();
    const buffer = Buffer.from(content);
    switch (extension) {
      case 'csv':
        return readRows('csv', readCsvSheet(buffer, canonicalColumn));
      case 'xlsx':
        return readRows('xlsx', await readXlsxSheet(buffer, cellText, (v) => v === '', canonicalColumn));
      case 'json':
        return readJson(buffer);
      case 'edi':
      case 'x12':
        return readX12(buffer);
      case 'txt': {
        const text = withoutBom(buffer.toString('utf8'));
        if (!text.trimStart().startsWith('ISA')) {
          throw unreadable('A .txt order file must be X12 (start with an ISA segment).');
        }
        return readX12(buffer);
      }
      default:
        throw unreadable(
          `Files named .${extension ?? ''} are not read; use .csv, .xlsx, .json, .edi or .x12.`
        );
    }
  },
};

function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, '');
}

// ---------------------------------------------------------------------------------------------
// CSV and XLSX: a header row, then data rows grouped into orders by the order number.

/** The column names the `order-rows` message uses, and the spellings a header may use for them. */
const canonicalColumns: Record<string, string> = Object.fromEntries(
  [
    ['orderNumber', 'externalId', 'order', 'order_number', 'order id'],
    ['lineId'],
    ['sku'],
    ['quantity'],
    ['unitPrice'],
    ['currency'],
    ['email'],
    ['customerName'],
    ['shipToLine1'],
    ['shipToLine2'],
    ['shipToCity'],
    ['shipToState'],
    ['shipToPostalCode'],
    ['shipToCountry'],
  ].flatMap(([canonical, ...aliases]) =>
    [canonical!, ...aliases].map((spelling) => [headerKey(spelling), canonical!])
  )
);

/** Values one order must agree on across its rows (the later row that differs is in error). */
const orderLevelColumns = [
  'currency',
  'email',
  'customerName',
  'shipToLine1',
  'shipToLine2',
  'shipToCity',
  'shipToState',
  'shipToPostalCode',
  'shipToCountry',
];

/** Case, spaces, `_` and `-` do not matter in a header: `Order Number` = `order_number`. */
function headerKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

function canonicalColumn(name: string): string {
  return canonicalColumns[headerKey(name)] ?? name;
}

/** A cell as text, the way the `order-rows` message carries every value. */
function cellText(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return text ? String(value).trim() : '';
}

const positiveNumber = /^(\d+(\.\d*)?|\.\d+)$/;
const decimal = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** What is wrong with a row on its own (no business knowledge needed), if anything. */
function rowFault(row: SheetRow<string>): string | undefined {
  if (row.error !== undefined) return row.error;
  const { orderNumber = '', sku = '', quantity = '', unitPrice = '' } = row.values;
  if (orderNumber === '') return 'has no order number';
  if (sku === '') return 'has no sku';
  if (!positiveNumber.test(quantity) || Number(quantity) <= 0) {
    return `quantity "${quantity}" is not a positive number`;
  }
  if (unitPrice !== '' && !decimal.test(unitPrice)) {
    return `unitPrice "${unitPrice}" is not a decimal amount such as 12.50`;
  }
  return undefined;
}

function orderKey(orderNumber: string): string {
  return `order-${orderNumber}`;
}

function readRows(format: 'csv' | 'xlsx', { columns, rows }: Sheet<string>): ReadOrderFile {
  if (!columns.includes('orderNumber')) {
    throw unreadable(
      'The header names no order number column (orderNumber, externalId, order, order_number or order id).'
    );
  }
  if (!columns.includes('sku')) throw unreadable('The header names no sku column.');
  const errors: OrderFileRowError[] = [];
  // Rows of one order need not be adjacent; Map keeps the orders in the order they first appear.
  const orders = new Map<string, { rows: SheetRow<string>[]; badRows: number[] }>();
  for (const row of rows) {
    const fault = rowFault(row);
    const orderNumber = row.values.orderNumber ?? '';
    const order = orderNumber === '' ? {} : { order: orderKey(orderNumber) };
    if (fault !== undefined) errors.push({ row: row.row, message: fault, ...order });
    if (orderNumber === '') continue;
    const rowsOfOrder = orders.get(orderNumber) ?? { rows: [], badRows: [] };
    orders.set(orderNumber, rowsOfOrder);
    if (fault !== undefined) {
      rowsOfOrder.badRows.push(row.row);
      continue;
    }
    const disagreement = orderLevelColumns
      .map((column) => {
        const value = row.values[column] ?? '';
        const earlier = rowsOfOrder.rows.find((r) => (r.values[column] ?? '') !== '');
        const earlierValue = earlier?.values[column] ?? '';
        return value !== '' && earlier !== undefined && earlierValue !== value
          ? `${column} "${value}" differs from "${earlierValue}" in row ${earlier.row} of order ${orderNumber}`
          : undefined;
      })
      .filter((message) => message !== undefined);
    if (disagreement.length > 0) {
      errors.push({ row: row.row, message: disagreement.join('; '), ...order });
      rowsOfOrder.badRows.push(row.row);
      continue;
    }
    rowsOfOrder.rows.push(row);
  }
  const messages: OrderFileMessage[] = [];
  for (const [orderNumber, order] of orders) {
    if (order.badRows.length > 0) {
      // The report names every row that did not become part of an order, the good ones too.
      const firstBad = Math.min(...order.badRows);
      for (const row of order.rows) {
        errors.push({
          row: row.row,
          message: `order ${orderNumber} not imported: row ${firstBad} is not valid`,
          order: orderKey(orderNumber),
        });
      }
      continue;
    }
    messages.push({
      messageType: 'order-rows',
      key: orderKey(orderNumber),
      rows: order.rows.map((r) => r.row),
      body: { externalId: orderNumber, rows: order.rows.map(({ row, values }) => ({ row, values })) },
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { format, messages, errors };
}

// ---------------------------------------------------------------------------------------------
// JSON: an array of orders, or `{ "orders": [...] }`.

function readJson(content: Buffer): ReadOrderFile {
  let body: unknown;
  try {
    body = parseJsonLossless(withoutBom(content.toString('utf8')));
  } catch (err) {
    throw unreadable(`Not valid JSON: ${describe(err)}`, err);
  }
  const items: unknown = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && 'orders' in body
      ? body.orders
      : undefined;
  if (!Array.isArray(items)) {
    throw unreadable('The JSON must be an array of orders or an object { "orders": [...] }.');
  }
  const messages: OrderFileMessage[] = [];
  const errors: OrderFileRowError[] = [];
  items.forEach((item: unknown, index) => {
    const row = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ row, message: 'is not an object', order: `item-${row}` });
      return;
    }
    messages.push({ messageType: 'order', key: `item-${row}`, rows: [row], body: item });
  });
  return { format: 'json', messages, errors };
}

// ---------------------------------------------------------------------------------------------
// X12: one message per 850 transaction set.

type Elements = Record<string, string>;
type Loop = Record<string, unknown[]>;

/** Segments an N1 loop holds after its N1 (X12 850, header and PO1 level). */
const n1LoopMembers = new Set([
  'N2',
  'N3',
  'N4',
  'NX2',
  'REF',
  'PER',
  'SI',
  'FOB',
  'TD1',
  'TD5',
  'TD3',
  'TD4',
  'PKG',
]);

function readX12(content: Buffer): ReadOrderFile {
  const text = withoutBom(content.toString('utf8')).trimStart();
  if (!text.startsWith('ISA')) throw unreadable('Not X12: the file does not start with ISA.');
  // Not strict: a strict parser throws for the whole file on one set's SE count, which is that
  // set's error only. What strictness would have caught elsewhere comes back as diagnostics.
  const parser = new X12Parser(false);
  // The types promise an interchange, but fewer than three segments give none.
  let parsed: X12Interchange | X12FatInterchange | undefined;
  try {
    parsed = parser.parse(text);
  } catch (err) {
    // node-x12 fails with a TypeError on a segment outside the envelope that must hold it.
    const reason =
      err instanceof TypeError
        ? 'a segment stands outside its envelope (ISA…IEA, GS…GE, ST…SE).'
        : describe(err);
    throw unreadable(`Not a readable X12 interchange: ${reason}`, err);
  }
  const trailerRanges = new Set<unknown>();
  const groups = parsed !== undefined && 'functionalGroups' in parsed ? parsed.functionalGroups : [];
  for (const group of groups) {
    for (const transaction of group.transactions) {
      for (const element of transaction.trailer?.elements ?? []) trailerRanges.add(element.range);
    }
  }
  // A diagnostic on an SE element is that set's own fault (checked below); any other is the file's.
  const fileFaults = parser.diagnostics.filter((d) => !trailerRanges.has(d.range));
  if (fileFaults.length > 0) {
    throw unreadable(
      `Not a valid X12 interchange: ${fileFaults.map((d) => d.message.replace(/^X12 Standard: /, '')).join(' ')}`
    );
  }
  if (parsed === undefined) {
    throw unreadable('Not a valid X12 interchange: it holds no functional group.');
  }
  if (!('functionalGroups' in parsed)) {
    throw unreadable('The file holds more than one X12 interchange (ISA…IEA); send one per file.');
  }
  const interchange = parsed;
  if (interchange.header === undefined || interchange.trailer === undefined) {
    throw unreadable('Not a valid X12 interchange: the ISA or IEA segment is missing.');
  }
  if (interchange.functionalGroups.length === 0) {
    throw unreadable('Not a valid X12 interchange: it holds no functional group (GS…GE).');
  }
  const isa = interchange.header;
  // node-x12 turns ISA13 into a number's text; the standard fixes it at nine digits, so padding
  // gives back the text as it is in the file.
  const isaControlNumber = isa.valueOf(13, '').padStart(9, '0');
  if (!/^\d{9}$/.test(isaControlNumber)) {
    throw unreadable('Not a valid X12 interchange: ISA13 is not a nine-digit control number.');
  }
  const interchangeFacts = {
    senderQualifier: isa.valueOf(5, ''),
    senderId: isa.valueOf(6, '').trim(),
    receiverQualifier: isa.valueOf(7, ''),
    receiverId: isa.valueOf(8, '').trim(),
    date: isa.valueOf(9, ''),
    time: isa.valueOf(10, ''),
    controlNumber: isaControlNumber,
    usageIndicator: isa.valueOf(15, ''),
  };
  const messages: OrderFileMessage[] = [];
  const errors: OrderFileRowError[] = [];
  let segmentNumber = 1; // the ISA
  for (const group of interchange.functionalGroups) {
    if (group.header === undefined || group.trailer === undefined) {
      throw unreadable('Not a valid X12 interchange: a functional group has no GS or GE segment.');
    }
    segmentNumber += 1; // the GS
    const gs = group.header;
    const groupFacts = {
      functionalId: gs.valueOf(1, ''),
      senderCode: gs.valueOf(2, ''),
      receiverCode: gs.valueOf(3, ''),
      date: gs.valueOf(4, ''),
      time: gs.valueOf(5, ''),
      controlNumber: gs.valueOf(6, ''),
      version: gs.valueOf(8, ''),
    };
    for (const transaction of group.transactions) {
      if (transaction.trailer === undefined) {
        throw unreadable('Not a valid X12 interchange: a transaction set has no SE segment.');
      }
      const stRow = segmentNumber + 1;
      segmentNumber += transaction.segments.length + 2;
      const setId = transaction.header.valueOf(1, '');
      const controlNumber = transaction.header.valueOf(2, '');
      const key = `st-${isaControlNumber}-${groupFacts.controlNumber}-${controlNumber}`;
      const fault = transactionFault(transaction);
      if (fault !== undefined) {
        errors.push({ row: stRow, message: fault, order: key });
        continue;
      }
      if (setId !== '850') {
        errors.push({
          row: stRow,
          message: `transaction set ${setId} is not a purchase order (850)`,
          order: key,
        });
        continue;
      }
      messages.push({
        messageType: 'x12-850',
        key,
        rows: [stRow],
        body: {
          interchange: interchangeFacts,
          group: groupFacts,
          transactionSet: { id: setId, controlNumber },
          ...purchaseOrderLoops(transaction.segments),
        },
      });
    }
    segmentNumber += 1; // the GE
  }
  return { format: 'x12', messages, errors };
}

/** The set's control faults: SE01 must count ST…SE, SE02 must repeat ST02. */
function transactionFault(transaction: X12Transaction): string | undefined {
  const st = transaction.header;
  const se = transaction.trailer;
  const label = `transaction set ${st.valueOf(1, '')} ${st.valueOf(2, '')}`;
  const count = transaction.segments.length + 2;
  if (se.valueOf(1, '') !== String(count)) {
    return `${label}: SE01 says ${se.valueOf(1, '')} segments; the set has ${count}`;
  }
  if (se.valueOf(2, '') !== st.valueOf(2, '')) {
    return `${label}: SE02 (${se.valueOf(2, '')}) does not match ST02 (${st.valueOf(2, '')})`;
  }
  return undefined;
}

/** A segment's elements by two-digit position; empty elements are left out. */
function elementsOf(segment: X12Segment): Elements {
  const elements: Elements = {};
  segment.elements.forEach((element, index) => {
    if (element.value !== '') elements[String(index + 1).padStart(2, '0')] = element.value;
  });
  return elements;
}

function add(loop: Loop, tag: string, value: unknown): void {
  (loop[tag] ??= []).push(value);
}

/**
 * The 850's segments between ST and SE in its loops: N1 loops (N1 and its N2/N3/N4/REF/PER/FOB/TD5…)
 * and PO1 loops (PO1 and everything up to the next PO1, CTT or SE, with N1 loops inside it nested
 * under its `N1` key); everything else under `segments`, tag → occurrences.
 */
function purchaseOrderLoops(segments: readonly X12Segment[]): {
  segments: Loop;
  N1: Loop[];
  PO1: Loop[];
} {
  const header: Loop = {};
  const n1Loops: Loop[] = [];
  const po1Loops: Loop[] = [];
  let n1: Loop | undefined;
  let po1: Loop | undefined;
  let nestedN1: Loop | undefined;
  for (const segment of segments) {
    const { tag } = segment;
    const elements = elementsOf(segment);
    if (tag === 'PO1') {
      n1 = undefined;
      nestedN1 = undefined;
      po1 = { PO1: [elements] };
      po1Loops.push(po1);
    } else if (tag === 'CTT') {
      n1 = undefined;
      po1 = undefined;
      nestedN1 = undefined;
      add(header, tag, elements);
    } else if (po1 !== undefined) {
      if (tag === 'N1') {
        nestedN1 = { N1: [elements] };
        add(po1, 'N1', nestedN1);
      } else if (nestedN1 !== undefined && n1LoopMembers.has(tag)) {
        add(nestedN1, tag, elements);
      } else {
        nestedN1 = undefined;
        add(po1, tag, elements);
      }
    } else if (tag === 'N1') {
      n1 = { N1: [elements] };
      n1Loops.push(n1);
    } else if (n1 !== undefined && n1LoopMembers.has(tag)) {
      add(n1, tag, elements);
    } else {
      n1 = undefined;
      add(header, tag, elements);
    }
  }
  return { segments: header, N1: n1Loops, PO1: po1Loops };
}
