import { tableFileParser } from '../../../adapters/files/table-file-parser';
import { BlobImportReportStore } from '../../../adapters/storage/inventory-import-reports';
import { inventoryImportResultsContainer } from '../../../ports/binding-names';
import type { ImportReportStore } from '../../../ports/inventory-imports';
import { getClock, getStorageClients } from '../../platform/wiring';
import { memo } from '../../registry';
import { getInventoryDeps } from '../wiring';
import { applyChangesWith, type ImportInventoryFileDeps } from './import-inventory-file';

export { inventoryImportsContainer } from '../../../ports/binding-names';

/** The file drop: parsers, the inventory core's changes, reports in `inventory-imports-results`. */
export async function getInventoryImportDeps(): Promise<ImportInventoryFileDeps> {
  const reports = memo<ImportReportStore>(
    'inventory:import-reports',
    () =>
      new BlobImportReportStore(getStorageClients().blobs.getContainerClient(inventoryImportResultsContainer))
  );
  return {
    parser: tableFileParser,
    applyChanges: applyChangesWith(await getInventoryDeps()),
    reports,
    clock: getClock(),
  };
}
