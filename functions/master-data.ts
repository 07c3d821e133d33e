import { bulkUpsertMasterData } from '../shared/app/master-data/bulk-upsert-master-data';
import { getMasterDataRecord } from '../shared/app/master-data/master-data-queries';
import { putMasterDataRecord } from '../shared/app/master-data/put-master-data-record';
import { getBulkUpsertDeps, getMasterDataStore } from '../shared/app/master-data/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { putAnswer, versionedAnswer } from '../shared/http/versioned-resource';

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
