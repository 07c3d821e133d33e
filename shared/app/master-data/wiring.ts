import { tableFileParser } from '../../adapters/files/table-file-parser';
import { CosmosMasterDataImportRecords } from '../../adapters/cosmos/master-data-import-records';
import { CosmosMasterDataStore } from '../../adapters/cosmos/master-data-store';
import { BlobImportReportStore } from '../../adapters/storage/inventory-import-reports';
import type { MasterDataImport, MasterDataImportRecords, MasterDataStore } from '../../ports/master-data';
import { masterDataImportResultsContainer } from '../../ports/binding-names';
import { writingSources } from '../fulfillment/wiring';
import { getClock, getContainer, getGeocoder, getStorageClients } from '../platform/wiring';
import { memo } from '../registry';
import type { BulkUpsertDeps } from './bulk-upsert-master-data';
import type { ImportMasterDataFileDeps } from './import-master-data-file';
import { masterDataKinds } from './master-data-kinds';

export { masterDataImportsContainer } from '../../ports/binding-names';

/** Master data in `catalog`; writing sources forgets the ones planning reads, as PUT /sources does. */
export async function getMasterDataStore(): Promise<MasterDataStore> {
  const stored = new CosmosMasterDataStore(await getContainer('catalog'));
  return {
    get: (entity, id) => stored.get(entity, id),
    readMany: (entity, ids) => stored.readMany(entity, ids),
    writeMany: (entity, writes, concurrency) => {
      const write = () => stored.writeMany(entity, writes, concurrency);
      return entity === 'sources' ? writingSources(write) : write();
    },
  };
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
