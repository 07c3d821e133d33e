import { app, type InvocationContext } from '@azure/functions';
import { importInventoryFile } from '../shared/app/inventory/imports/import-inventory-file';
import {
  importFileKey,
  inventoryImportsContainer,
} from '../shared/adapters/storage/inventory-import-reports';
import { getInventoryImportDeps } from '../shared/composition';

/**
 * A file dropped in `inventory-imports` (CSV, XLSX or JSON): its good rows are applied as inventory
 * changes and `inventory-imports-results/{name}.json` reports the rest. The host fires once per blob
 * version (receipts); a bad file is reported, not retried — only a storage failure throws (and the
 * host retries, applying nothing twice).
 */
export async function importInventoryFileHandler(blob: unknown, context: InvocationContext): Promise<void> {
  const metadata = context.triggerMetadata ?? {};
  const path = typeof metadata.blobTrigger === 'string' ? metadata.blobTrigger : '';
  const name =
    typeof metadata.name === 'string' ? metadata.name : path.slice(inventoryImportsContainer.length + 1);
  const content = Buffer.isBuffer(blob)
    ? blob
    : Buffer.from(typeof blob === 'string' ? blob : JSON.stringify(blob));
  const etag = etagOf(metadata.properties) ?? '';
  // Without an ETag (not seen in Azure or the local host), the content identifies the version.
  const key = importFileKey(name, etag || content.toString('base64'));
  const report = await importInventoryFile(await getInventoryImportDeps(), { name, etag, key, content });
  context.log(
    `inventory file ${name}: ${report.rows} rows, ${report.applied} applied, ${report.duplicates} duplicates, ${report.failed} failed`
  );
}

/** The blob's ETag from the trigger's `properties` (its key's casing differs between hosts). */
function etagOf(properties: unknown): string | undefined {
  if (typeof properties !== 'object' || properties === null) return undefined;
  for (const [key, value] of Object.entries(properties)) {
    if (key.toLowerCase() === 'etag' && typeof value === 'string') return value.replace(/"/g, '');
  }
  return undefined;
}

app.storageBlob('importInventoryFile', {
  path: `${inventoryImportsContainer}/{name}`,
  connection: 'AzureWebJobsStorage',
  handler: importInventoryFileHandler,
});
