import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { ImportReportStore } from '../../ports/inventory-imports';
import type { OrderFileReader } from '../../ports/order-files';
import { settleEach } from '../platform/settle-each';
import { processInboundMessageWithReason, type ProcessInboundDeps } from './process-inbound-messages';

/** The outcome of one dropped order file, written beside it (`order-imports-results/{name}.json`). */
export interface OrderImportReport {
  file: string;
  etag: string;
  instanceId: string;
  format?: string;
  processedAt: string;
  /** Orders (or purchase orders) the file holds, good and bad. */
  orders: number;
  created: number;
  /** Orders that already existed (the file, or another message, brought them before). */
  duplicates: number;
  failed: number;
  errors: { rows: number[]; message: string; step?: string; detail?: string }[];
}

export interface ImportOrderFileDeps extends ProcessInboundDeps {
  reader: OrderFileReader;
  reports: ImportReportStore<OrderImportReport>;
  clock: Clock;
}

/** Orders of one file are created this many at a time. */
const fileConcurrency = 8;

/**
 * A file dropped in `order-imports/{instanceId}/...` (CSV, XLSX, JSON or X12 850): each order in it
 * goes the way of any provider message of that instance (transformation, mapping group, one order
 * per external id), and a report names every row that did not become an order, and why. The host
 * fires once per blob version; the same file dropped again creates nothing new (its orders exist)
 * and its failures stay one error-list entry each. Only a storage failure throws (the host retries).
 */
export async function importOrderFile(
  deps: ImportOrderFileDeps,
  file: { name: string; etag: string; content: Uint8Array }
): Promise<OrderImportReport> {
  const slash = file.name.indexOf('/');
  const instanceId = slash > 0 ? file.name.slice(0, slash) : '';
  const report: OrderImportReport = {
    file: file.name,
    etag: file.etag,
    instanceId,
    processedAt: deps.clock.now().toISOString(),
    orders: 0,
    created: 0,
    duplicates: 0,
    failed: 0,
    errors: [],
  };
  const instance = instanceId === '' ? undefined : await deps.settings.instance(instanceId);
  if (instance === undefined) {
    report.errors.push({
      rows: [],
      message: `Drop order files under order-imports/{instanceId}/; "${instanceId || file.name}" is not a provider instance.`,
    });
    await deps.reports.write(file.name, report);
    return report;
  }
  if (!instance.active) {
    // As its webhooks and its poller, an inactive instance takes no files; drop it again once active.
    report.errors.push({ rows: [], message: `Provider instance ${instanceId} is not active.` });
    await deps.reports.write(file.name, report);
    return report;
  }
  let read;
  try {
    read = await deps.reader.read(file.name, file.content);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    report.errors.push({ rows: [], message: err.errors.map((e) => e.message).join('; ') || err.message });
    await deps.reports.write(file.name, report);
    return report;
  }
  report.format = read.format;
  report.errors.push(...read.errors.map((e) => ({ rows: [e.row], message: e.message })));
  const receivedAt = deps.clock.now().toISOString();
  const settled = await settleEach(read.messages, fileConcurrency, (item) =>
    processInboundMessageWithReason(deps, {
      instanceId,
      messageType: item.messageType,
      messageId: `file:${file.name}:${item.key}`,
      receivedAt,
      via: 'file',
      body: JSON.stringify(item.body),
    })
  );
  // A storage or Cosmos failure fails the file: the host runs it again, and nothing is done twice.
  const results = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  results.forEach((result, i) => {
    if (result.outcome === 'created') report.created += 1;
    else if (result.outcome === 'exists') report.duplicates += 1;
    else {
      report.failed += 1;
      report.errors.push({
        rows: read.messages[i]!.rows,
        message: result.failure?.message ?? 'failed',
        ...(result.failure ? { step: result.failure.step } : {}),
        ...(result.failure?.detail ? { detail: result.failure.detail } : {}),
      });
    }
  });
  const refused = ordersOnlyInErrors(read);
  report.orders = read.messages.length + refused;
  report.failed += refused;
  report.errors.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
  await deps.reports.write(file.name, report);
  return report;
}

/**
 * Orders the reader refused outright: one per distinct order key among its row errors; a row
 * that names no order (no order number) counts as one of its own.
 */
function ordersOnlyInErrors(read: { errors: { row: number; order?: string }[] }): number {
  return new Set(read.errors.map((e) => (e.order === undefined ? `row ${e.row}` : `order ${e.order}`))).size;
}

export { droppedBlobOf as droppedFileOf } from '../platform/dropped-blob';
