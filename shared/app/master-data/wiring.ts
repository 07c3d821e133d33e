import { tableFileParser } from '../../adapters/files/table-file-parser';
import { CosmosMasterDataImportRecords } from '../../adapters/cosmos/master-data-import-records';
import { CosmosMasterDataStore } from '../../adapters/cosmos/master-data-store';
import { BlobImportReportStore } from '../../adapters/storage/inventory-import-reports';
import type { MasterDataImport, MasterDataImportRecords, MasterDataStore } from '../../ports/master-data';
import { masterDataImportResultsContainer } from '../../ports/binding-names';
import { getClock, getContainer, getGeocoder, getStorageClients } from '../platform/wiring';
import { memo } from '../registry';
import type { BulkUpsertDeps } from './bulk-upsert-master-data';
import type { ImportMasterDataFileDeps } from './import-master-data-file';
import { masterDataKinds } from './master-data-kinds';

export { masterDataImportsContainer } from '../../ports/binding-names';

export async function getMasterDataStore(): Promise<MasterDataStore> {
  return new CosmosMasterDataStore(await getContainer('catalog'));
}

export async function getMasterDataImportRecords(): Promise<MasterDataImportRecords> {
  return new CosmosMasterDataImportRecords(await getContainer('jobs'), getClock());
}

/** The bulk API: the kinds (validators compiled once), the catalog store, the clock. */
export async function getBulkUpsertDeps(): Promise<BulkUpsertDeps> {
  return {
    kinds: memo('master-data:kinds', () => masterDataKinds(getGeocoder())),
    store: await getMasterDataStore(),
    clock: getClock(),
  };
}

/** The file drop: the bulk API's parts, the parser, import records in `jobs`, report blobs. */
export async function getImportMasterDataFileDeps(): Promise<ImportMasterDataFileDeps> {
  const reports = memo(
    'master-data:reports',
    () =>
      new BlobImportReportStore<MasterDataImport>(
        getStorageClients().blobs.getContainerClient(masterDataImportResultsContainer)
      )
  );
  return {
    ...(await getBulkUpsertDeps()),
    parser: tableFileParser,
    records: await getMasterDataImportRecords(),
    reports,
  };
}
