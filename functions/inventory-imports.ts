import { app, type InvocationContext } from '@azure/functions';
import { importDroppedFile } from '../shared/app/inventory/imports/import-dropped-file';
import { getInventoryImportDeps, inventoryImportsContainer } from '../shared/app/inventory/imports/wiring';

/**
 * A file dropped in `inventory-imports` (CSV, XLSX or JSON): its good rows are applied as inventory
 * changes and `inventory-imports-results/{name}.json` reports the rest. The host fires once per blob
 * version (receipts); a bad file is reported, not retried — only a storage failure throws (and the
 * host retries, applying nothing twice).
 */
export async function importInventoryFileHandler(blob: unknown, context: InvocationContext): Promise<void> {
  const report = await importDroppedFile(await getInventoryImportDeps(), blob, context.triggerMetadata ?? {});
  context.log(
    `inventory file ${report.name}: ${report.rows} rows, ${report.applied} applied, ${report.duplicates} duplicates, ${report.failed} failed`
  );
}

app.storageBlob('importInventoryFile', {
  path: `${inventoryImportsContainer}/{name}`,
  connection: 'AzureWebJobsStorage',
  handler: importInventoryFileHandler,
});
