import { createHash } from 'crypto';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { ImportRowError } from '../../domain/inventory/imports/import-rows';
import {
  checkPurchaseOrderHeader,
  purchaseOrdersFromRows,
  rowErrorOf,
  type PurchaseOrderFileGroup,
} from '../../domain/purchasing/purchase-order-rows';
import { purchaseOrderInputOf } from '../../domain/purchasing/supply-order';
import { purchaseOrderImportsContainer } from '../../ports/binding-names';
import type { ImportReportStore, InventoryFileParser, ParsedImportFile } from '../../ports/inventory-imports';
import { droppedBlobOf } from '../platform/dropped-blob';
import { storeSupplyOrder } from './put-supply-order';
import type { PurchasingDeps } from './supply-order-deps';
import { syncSupplySchedules } from './sync-supply-schedules';

/** The outcome of one dropped purchase order file (`purchase-order-imports-results/{name}.json`). */
export interface PurchaseOrderImportReport {
  file: string;
  etag: string;
  format?: ParsedImportFile['format'];
  processedAt: string;
  /** Data rows read (0 when the file could not be read). */
  rows: number;
  /** Purchase orders the file names, good and bad. */
  purchaseOrders: number;
  created: number;
  updated: number;
  /** Orders already stored just so (the same file dropped again). */
  unchanged: number;
  /** Orders not imported; their rows are in `errors`. */
  failed: number;
  errors: ImportRowError[];
}

export interface ImportPurchaseOrderFileDeps extends PurchasingDeps {
  parser: InventoryFileParser;
  reports: ImportReportStore<PurchaseOrderImportReport>;
}

/** Orders of one file are written this many at a time. */
const fileConcurrency = 8;

/**
 * A file dropped in `purchase-order-imports` (CSV, XLSX or JSON; one row per order line, the order's
 * header repeated): each purchase order in it is created or replaced as `PUT
 * /api/v1/purchase-orders/{id}` would, with the same rules, and its schedule entries follow. A
 * report names every row that was not imported and why; an order with a bad row is not imported at
 * all. The same file version delivered again keeps its report; the same content in a new version
 * finds its orders unchanged. Only a storage failure throws (the host retries).
 */
export async function importPurchaseOrderFile(
  deps: ImportPurchaseOrderFileDeps,
  blob: unknown,
  metadata: Record<string, unknown>
): Promise<PurchaseOrderImportReport> {
  const file = droppedBlobOf(blob, metadata, purchaseOrderImportsContainer);
  const etag = file.etag || createHash('sha256').update(file.content).digest('hex');
  const previous = await deps.reports.read(file.name);
  if (previous?.etag === etag) return previous;
  const report: PurchaseOrderImportReport = {
    file: file.name,
    etag,
    processedAt: deps.clock.now().toISOString(),
    rows: 0,
    purchaseOrders: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
  };
  let parsed: ParsedImportFile;
  try {
    parsed = await deps.parser.parse(file.name, file.content);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    report.errors = err.errors.map((issue) => ({ row: 0, column: '', message: issue.message }));
    await deps.reports.write(file.name, report);
    return report;
  }
  report.format = parsed.format;
  report.rows = parsed.rows.length;
  const headerErrors = parsed.columns === undefined ? [] : checkPurchaseOrderHeader(parsed.columns);
  if (headerErrors.length > 0) {
    report.errors = headerErrors;
    await deps.reports.write(file.name, report);
    return report;
  }
  const { orders, failed, errors } = purchaseOrdersFromRows(parsed.rows);
  report.purchaseOrders = orders.length + failed.length;
  report.failed = failed.length;
  for (let start = 0; start < orders.length; start += fileConcurrency) {
    const outcomes = await Promise.all(
      orders.slice(start, start + fileConcurrency).map((o) => importOne(deps, o))
    );
    for (const outcome of outcomes) {
      if (Array.isArray(outcome)) {
        report.failed++;
        errors.push(...outcome);
      } else {
        report[outcome]++;
      }
    }
  }
  report.errors = errors.sort((a, b) => a.row - b.row);
  await deps.reports.write(file.name, report);
  return report;
}

/** One order of the file: what became of it, or the rows at fault. */
async function importOne(
  deps: PurchasingDeps,
  group: PurchaseOrderFileGroup
): Promise<'created' | 'updated' | 'unchanged' | ImportRowError[]> {
  try {
    const id = deps.validators.route({ id: group.id }).id;
    const input = deps.validators.purchaseOrder(group.input);
    const existing = await deps.orders.get('purchaseOrder', id);
    if (
      existing?.order.kind === 'purchaseOrder' &&
      JSON.stringify(purchaseOrderInputOf(existing.order)) === JSON.stringify(input)
    ) {
      await syncSupplySchedules(deps, 'purchaseOrder', id);
      return 'unchanged';
    }
    const stored = await storeSupplyOrder(deps, id, { kind: 'purchaseOrder', input });
    return stored.created ? 'created' : 'updated';
  } catch (err) {
    if (err instanceof ValidationError) {
      return err.errors.map((issue) =>
        issue.path === '/id'
          ? { row: group.rows[0]!, column: 'purchaseOrderId', message: issue.message }
          : rowErrorOf(group, issue)
      );
    }
    if (err instanceof ConflictError) {
      return [{ row: group.rows[0]!, column: 'purchaseOrderId', message: err.message }];
    }
    throw err;
  }
}
