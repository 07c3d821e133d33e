import { ConflictError, ValidationError, type ValidationIssue } from '../errors';
import { isIsoDate } from '../inventory/atp/atp';
import { addQuantities, subtractQuantities } from '../inventory/quantity';

/**
 * Purchase orders (supply from a supplier into one source) and transfer orders (stock moving from
 * one source to another): lines with expected dates whose open quantities feed ATP, and receipts
 * that close them (docs/purchasing.md). Both share the line, receipt and state rules here.
 */

export type SupplyOrderKind = 'purchaseOrder' | 'transferOrder';

/** `open` → `partially received` → `received`, or `cancelled` (what was received stays received). */
export type SupplyOrderState = 'open' | 'partially received' | 'received' | 'cancelled';

export interface SupplyOrderLine {
  lineId: string;
  sku: string;
  /** Ordered. */
  quantity: number;
  /** Received so far (by receipts); never more than `quantity`. */
  received: number;
  /** A purchase order line's own arrival date, when it differs from the order's. */
  expectedDate?: string;
  state: SupplyOrderState;
}

export interface SupplyReceiptLine {
  lineId: string;
  quantity: number;
}

/** One receipt as recorded on its order; its id makes it idempotent. */
export interface SupplyReceipt {
  id: string;
  receivedAt: string;
  lines: SupplyReceiptLine[];
}

interface SupplyOrderBase {
  id: string;
  state: SupplyOrderState;
  lines: SupplyOrderLine[];
  receipts: SupplyReceipt[];
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
}

export interface PurchaseOrder extends SupplyOrderBase {
  kind: 'purchaseOrder';
  supplier?: string;
  /** The receiving source. */
  sourceId: string;
  expectedDate: string;
}

export interface TransferOrder extends SupplyOrderBase {
  kind: 'transferOrder';
  fromSourceId: string;
  toSourceId: string;
  /** The day the stock leaves the source (demand there). */
  shipDate: string;
  /** The day it arrives at the destination (supply there). */
  expectedDate: string;
}

export type SupplyOrder = PurchaseOrder | TransferOrder;

/** The body of `PUT /api/v1/purchase-orders/{id}`. */
export interface PurchaseOrderInput {
  supplier?: string;
  sourceId: string;
  expectedDate: string;
  lines: { lineId: string; sku: string; quantity: number; expectedDate?: string }[];
}

/** The body of `PUT /api/v1/transfer-orders/{id}`. */
export interface TransferOrderInput {
  fromSourceId: string;
  toSourceId: string;
  shipDate: string;
  expectedDate: string;
  lines: { lineId: string; sku: string; quantity: number }[];
}

/** The body of `POST .../{id}/receipts`. */
export interface SupplyReceiptInput {
  id: string;
  lines: SupplyReceiptLine[];
}

/** What is still to come on a line: ordered − received, nothing once the line is cancelled. */
export function openQuantity(line: SupplyOrderLine): number {
  return line.state === 'cancelled' ? 0 : Math.max(0, subtractQuantities(line.quantity, line.received));
}

/** A line's state from its quantities. */
export function lineStateOf(quantity: number, received: number): SupplyOrderState {
  if (received >= quantity) return 'received';
  return received > 0 ? 'partially received' : 'open';
}

/** An order's state from its lines (unless it was cancelled): received when nothing is open. */
export function orderStateOf(lines: readonly SupplyOrderLine[]): SupplyOrderState {
  if (lines.every((line) => line.state === 'received')) return 'received';
  return lines.some((line) => line.received > 0) ? 'partially received' : 'open';
}

export function isClosed(order: SupplyOrder): boolean {
  return order.state === 'received' || order.state === 'cancelled';
}

/** "purchase order" / "transfer order", for messages. */
export function kindName(kind: SupplyOrderKind): string {
  return kind === 'purchaseOrder' ? 'purchase order' : 'transfer order';
}

/** "purchase order PO-1" / "transfer order TO-1", for messages. */
export function describeOrder(kind: SupplyOrderKind, id: string): string {
  return `${kindName(kind)} ${id}`;
}

/** "Purchase order PO-1", to start a message with. */
export function orderTitle(kind: SupplyOrderKind, id: string): string {
  const text = describeOrder(kind, id);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The purchase order `input` describes under `id`, replacing `existing`. A received or cancelled
 * order is not changed (409); open lines may change, be added or be removed, but a line that has
 * received units keeps its SKU, stays, and is not ordered below what was received; nor does the
 * receiving source change once anything was received there.
 */
export function purchaseOrderFromInput(
  id: string,
  input: PurchaseOrderInput,
  existing: SupplyOrder | undefined,
  now: Date
): PurchaseOrder {
  const issues: ValidationIssue[] = [];
  const previous = checkReplaceable('purchaseOrder', id, existing);
  checkDate(input.expectedDate, '/expectedDate', issues);
  input.lines.forEach((line, i) => {
    if (line.expectedDate !== undefined) checkDate(line.expectedDate, `/lines/${i}/expectedDate`, issues);
  });
  if (previous !== undefined && previous.kind === 'purchaseOrder' && anyReceived(previous)) {
    if (previous.sourceId !== input.sourceId) {
      issues.push({
        path: '/sourceId',
        message: `cannot change from '${previous.sourceId}': units were received there`,
      });
    }
  }
  const lines = linesFromInput(input.lines, previous, issues);
  throwIfIssues('purchase order', issues);
  const at = now.toISOString();
  return {
    kind: 'purchaseOrder',
    id,
    ...(input.supplier === undefined ? {} : { supplier: input.supplier }),
    sourceId: input.sourceId,
    expectedDate: input.expectedDate,
    state: orderStateOf(lines),
    lines,
    receipts: previous?.receipts ?? [],
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  };
}

/** As purchaseOrderFromInput, for a transfer: two different sources, arriving no earlier than it ships. */
export function transferOrderFromInput(
  id: string,
  input: TransferOrderInput,
  existing: SupplyOrder | undefined,
  now: Date
): TransferOrder {
  const issues: ValidationIssue[] = [];
  const previous = checkReplaceable('transferOrder', id, existing);
  checkDate(input.shipDate, '/shipDate', issues);
  checkDate(input.expectedDate, '/expectedDate', issues);
  if (input.fromSourceId === input.toSourceId) {
    issues.push({ path: '/toSourceId', message: 'must differ from fromSourceId' });
  }
  if (input.expectedDate < input.shipDate) {
    issues.push({ path: '/expectedDate', message: 'must not be before shipDate' });
  }
  if (previous !== undefined && previous.kind === 'transferOrder' && anyReceived(previous)) {
    for (const field of ['fromSourceId', 'toSourceId'] as const) {
      if (previous[field] !== input[field]) {
        issues.push({
          path: `/${field}`,
          message: `cannot change from '${previous[field]}': units were received`,
        });
      }
    }
  }
  const lines = linesFromInput(input.lines, previous, issues);
  throwIfIssues('transfer order', issues);
  const at = now.toISOString();
  return {
    kind: 'transferOrder',
    id,
    fromSourceId: input.fromSourceId,
    toSourceId: input.toSourceId,
    shipDate: input.shipDate,
    expectedDate: input.expectedDate,
    state: orderStateOf(lines),
    lines,
    receipts: previous?.receipts ?? [],
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  };
}

/** The input a stored purchase order answers to (a file dropped again compares against it). */
export function purchaseOrderInputOf(order: PurchaseOrder): PurchaseOrderInput {
  return {
    ...(order.supplier === undefined ? {} : { supplier: order.supplier }),
    sourceId: order.sourceId,
    expectedDate: order.expectedDate,
    lines: order.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      ...(line.expectedDate === undefined ? {} : { expectedDate: line.expectedDate }),
    })),
  };
}

/**
 * Records a receipt: each named line receives its quantity (no more than is open, 400 at
 * `/lines/{i}/quantity`). The same receipt id again is a duplicate (the order unchanged); the same
 * id with other lines is 409 `receipt-id-reused`. A cancelled or fully received order takes none.
 */
export function receiveSupplyOrder(
  order: SupplyOrder,
  input: SupplyReceiptInput,
  now: Date
): { order: SupplyOrder; receipt: SupplyReceipt; duplicate: boolean } {
  const earlier = order.receipts.find((r) => r.id === input.id);
  if (earlier !== undefined) {
    if (!sameReceiptLines(earlier.lines, input.lines)) {
      throw new ConflictError(
        `Receipt ${input.id} of ${describeOrder(order.kind, order.id)} was recorded with other lines.`,
        { code: 'receipt-id-reused' }
      );
    }
    return { order, receipt: earlier, duplicate: true };
  }
  if (isClosed(order)) {
    throw new ConflictError(`${orderTitle(order.kind, order.id)} is ${order.state}.`, {
      code: 'supply-order-closed',
    });
  }
  const issues: ValidationIssue[] = [];
  const receivedNow = new Map<string, number>();
  input.lines.forEach((receiptLine, i) => {
    const line = order.lines.find((l) => l.lineId === receiptLine.lineId);
    if (line === undefined) {
      issues.push({ path: `/lines/${i}/lineId`, message: `is not a line of the order` });
      return;
    }
    if (receivedNow.has(line.lineId)) {
      issues.push({ path: `/lines/${i}/lineId`, message: 'is named twice in the receipt' });
      return;
    }
    const open = openQuantity(line);
    if (receiptLine.quantity > open) {
      issues.push({ path: `/lines/${i}/quantity`, message: `is more than the open quantity ${open}` });
      return;
    }
    receivedNow.set(line.lineId, receiptLine.quantity);
  });
  throwIfIssues('receipt', issues);
  const lines = order.lines.map((line) => {
    const quantity = receivedNow.get(line.lineId);
    if (quantity === undefined) return line;
    const received = Math.min(line.quantity, addQuantities(line.received, quantity));
    return { ...line, received, state: lineStateOf(line.quantity, received) };
  });
  const at = now.toISOString();
  const receipt: SupplyReceipt = { id: input.id, receivedAt: at, lines: input.lines };
  return {
    order: {
      ...order,
      lines,
      state: orderStateOf(lines),
      receipts: [...order.receipts, receipt],
      updatedAt: at,
    },
    receipt,
    duplicate: false,
  };
}

/**
 * Cancels what is still open: open lines become `cancelled` (their schedule entries go); received
 * units stay received. Cancelling a cancelled order changes nothing; a fully received one is 409.
 */
export function cancelSupplyOrder(order: SupplyOrder, now: Date): SupplyOrder {
  if (order.state === 'cancelled') return order;
  if (order.state === 'received') {
    throw new ConflictError(`${orderTitle(order.kind, order.id)} is received.`, {
      code: 'supply-order-closed',
    });
  }
  const at = now.toISOString();
  return {
    ...order,
    state: 'cancelled',
    lines: order.lines.map((line) => (line.state === 'received' ? line : { ...line, state: 'cancelled' })),
    cancelledAt: at,
    updatedAt: at,
  };
}

/** One stock movement a receipt makes: units in at the receiving source, out of a transfer's source. */
export interface ReceiptMovement {
  lineId: string;
  sku: string;
  sourceId: string;
  /** `in` raises on-hand by `quantity`, `out` lowers it. */
  direction: 'in' | 'out';
  quantity: number;
}

/**
 * The on-hand changes a receipt makes. A purchase order's units arrive at its source. A transfer's
 * arrive at the destination and leave the source at the same time: the source's stock is counted
 * until the destination has it, so a transfer under way is never counted twice or nowhere.
 */
export function receiptMovements(order: SupplyOrder, receipt: SupplyReceipt): ReceiptMovement[] {
  const movements: ReceiptMovement[] = [];
  for (const receiptLine of receipt.lines) {
    const line = order.lines.find((l) => l.lineId === receiptLine.lineId);
    if (line === undefined || receiptLine.quantity <= 0) continue;
    const base = { lineId: line.lineId, sku: line.sku, quantity: receiptLine.quantity };
    if (order.kind === 'purchaseOrder') {
      movements.push({ ...base, sourceId: order.sourceId, direction: 'in' });
    } else {
      movements.push({ ...base, sourceId: order.toSourceId, direction: 'in' });
      movements.push({ ...base, sourceId: order.fromSourceId, direction: 'out' });
    }
  }
  return movements;
}

function checkReplaceable(
  kind: SupplyOrderKind,
  id: string,
  existing: SupplyOrder | undefined
): SupplyOrder | undefined {
  if (existing === undefined) return undefined;
  if (isClosed(existing)) {
    throw new ConflictError(`${orderTitle(kind, id)} is ${existing.state}: it cannot change.`, {
      code: 'supply-order-closed',
    });
  }
  return existing;
}

function anyReceived(order: SupplyOrder): boolean {
  return order.lines.some((line) => line.received > 0);
}

function linesFromInput(
  input: readonly { lineId: string; sku: string; quantity: number; expectedDate?: string }[],
  previous: SupplyOrder | undefined,
  issues: ValidationIssue[]
): SupplyOrderLine[] {
  const seen = new Set<string>();
  const lines = input.map((line, i): SupplyOrderLine => {
    if (seen.has(line.lineId))
      issues.push({ path: `/lines/${i}/lineId`, message: 'repeats an earlier line id' });
    seen.add(line.lineId);
    const before = previous?.lines.find((l) => l.lineId === line.lineId);
    const received = before?.received ?? 0;
    if (received > 0 && before !== undefined) {
      if (before.sku !== line.sku) {
        issues.push({
          path: `/lines/${i}/sku`,
          message: `cannot change from '${before.sku}': units were received`,
        });
      }
      if (line.quantity < received) {
        issues.push({ path: `/lines/${i}/quantity`, message: `must not be below the ${received} received` });
      }
    }
    return {
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      received,
      ...(line.expectedDate === undefined ? {} : { expectedDate: line.expectedDate }),
      state: lineStateOf(line.quantity, received),
    };
  });
  for (const before of previous?.lines ?? []) {
    if (before.received > 0 && !seen.has(before.lineId)) {
      issues.push({
        path: '/lines',
        message: `must keep line ${before.lineId}: it has ${before.received} received (order it as received to close it)`,
      });
    }
  }
  return lines;
}

function checkDate(value: string, path: string, issues: ValidationIssue[]): void {
  if (!isIsoDate(value)) issues.push({ path, message: 'is not a calendar date' });
}

function throwIfIssues(what: string, issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`The ${what} is not valid.`, issues);
}

function sameReceiptLines(a: readonly SupplyReceiptLine[], b: readonly SupplyReceiptLine[]): boolean {
  return (
    a.length === b.length &&
    a.every((line, i) => line.lineId === b[i]!.lineId && line.quantity === b[i]!.quantity)
  );
}
