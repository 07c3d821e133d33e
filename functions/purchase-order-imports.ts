import { app, type InvocationContext } from '@azure/functions';
import { importPurchaseOrderFile } from '../shared/app/purchasing/import-purchase-order-file';
import { getPurchaseOrderImportDeps, purchaseOrderImportsContainer } from '../shared/app/purchasing/wiring';

/**
 * A file dropped in `purchase-order-imports` (CSV, XLSX or JSON, one row per order line): its
 * purchase orders are created or replaced and `purchase-order-imports-results/{name}.json` reports
 * the rows that were not. A bad file is reported, not retried; only a storage failure throws.
 */
export async function importPurchaseOrderFileHandler(
  blob: unknown,
  context: InvocationContext
): Promise<void> {
  const report = await importPurchaseOrderFile(
    await getPurchaseOrderImportDeps(),
    blob,
    context.triggerMetadata ?? {}
  );
  context.log(
    `purchase order file ${report.file}: ${report.purchaseOrders} orders, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed} failed`
  );
}

app.storageBlob('importPurchaseOrderFile', {
  path: `${purchaseOrderImportsContainer}/{name}`,
  connection: 'AzureWebJobsStorage',
  handler: importPurchaseOrderFileHandler,
});
