import { app, type InvocationContext } from '@azure/functions';
import { bulkUpsertMasterData } from '../shared/app/master-data/bulk-upsert-master-data';
import { importMasterDataFile } from '../shared/app/master-data/import-master-data-file';
import {
  getMasterDataImport,
  getMasterDataRecord,
  listMasterDataImports,
} from '../shared/app/master-data/master-data-queries';
import { putMasterDataRecord } from '../shared/app/master-data/put-master-data-record';
import {
  getBulkUpsertDeps,
  getImportMasterDataFileDeps,
  getMasterDataImportRecords,
  getMasterDataStore,
  masterDataImportsContainer,
} from '../shared/app/master-data/wiring';
import { droppedBlobOf } from '../shared/app/platform/dropped-blob';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { putAnswer, versionedAnswer } from '../shared/http/versioned-resource';

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

/** POST /api/v1/master-data/{entity}/bulk `{items}`: counts and per-item errors. */
export const bulkMasterDataHandler = route(
  'bulkMasterData',
  'POST',
  'v1/master-data/{entity}/bulk',
  async (request) => {
    const body = await jsonBody(request);
    return {
      jsonBody: await bulkUpsertMasterData(
        await getBulkUpsertDeps(),
        request.params.entity ?? '',
        body.value
      ),
    };
  }
);

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

/** GET and PUT of the records without routes of their own elsewhere: accounts, price lists, units. */
for (const [entity, name, parameter] of [
  ['accounts', 'Account', 'accountId'],
  ['price-lists', 'PriceList', 'priceListId'],
  ['units', 'Unit', 'unitId'],
] as const) {
  route(`get${name}`, 'GET', `v1/${entity}/{${parameter}}`, async (request) => {
    const found = await getMasterDataRecord(
      await getMasterDataStore(),
      entity,
      request.params[parameter] ?? ''
    );
    return versionedAnswer(found.value, found.etag);
  });
  route(`put${name}`, 'PUT', `v1/${entity}/{${parameter}}`, async (request) => {
    const id = request.params[parameter] ?? '';
    const body = await jsonBody(request);
    const result = await putMasterDataRecord(await getBulkUpsertDeps(), entity, id, body.value);
    return putAnswer(`/api/v1/${entity}`, id, result.value, result);
  });
}
