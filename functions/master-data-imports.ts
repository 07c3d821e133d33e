import { app, type InvocationContext } from '@azure/functions';
import { importMasterDataFile } from '../shared/app/master-data/import-master-data-file';
import { getMasterDataImport, listMasterDataImports } from '../shared/app/master-data/master-data-queries';
import {
  getImportMasterDataFileDeps,
  getMasterDataImportRecords,
  masterDataImportsContainer,
} from '../shared/app/master-data/wiring';
import { droppedBlobOf } from '../shared/app/platform/dropped-blob';
import { route } from '../shared/http/route';

/**
 * A file in `master-data-imports/{entity}/...` (CSV, XLSX, JSON): its rows upserted by key, its
 * progress in `GET /api/v1/master-data/imports/{importId}`, its report in
 * `master-data-imports-results/{entity}/{file}.json`. Only a storage failure throws (the host retries;
 * rows already written are unchanged the second time).
 */
export async function importMasterDataFileHandler(blob: unknown, context: InvocationContext): Promise<void> {
  const file = droppedBlobOf(blob, context.triggerMetadata ?? {}, masterDataImportsContainer);
  const result = await importMasterDataFile(await getImportMasterDataFileDeps(), file);
  context.log(
    `master-data file ${result.file}: ${result.rows} rows, ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.failed} failed`
  );
}

app.storageBlob('importMasterDataFile', {
  path: `${masterDataImportsContainer}/{name}`,
  connection: 'AzureWebJobsStorage',
  handler: importMasterDataFileHandler,
});

/** GET /api/v1/master-data/imports/{importId}: a file import's progress, or its report when done. */
route('getMasterDataImport', 'GET', 'v1/master-data/imports/{importId}', async (request) => ({
  jsonBody: await getMasterDataImport(await getMasterDataImportRecords(), request.params.importId ?? ''),
}));

/** GET /api/v1/master-data/imports?entity=: the latest file imports. */
route('listMasterDataImports', 'GET', 'v1/master-data/imports', async (request) => ({
  jsonBody: {
    items: await listMasterDataImports(
      await getMasterDataImportRecords(),
      request.query.get('entity') ?? undefined
    ),
  },
}));
