import { ValidationError } from '../../domain/errors';
import type { MasterDataEntity } from '../../domain/master-data/master-data-entities';
import type { StoredRecord } from '../../ports/master-data';
import type { BulkUpsertDeps } from './bulk-upsert-master-data';
import { getMasterDataRecord } from './master-data-queries';
import { upsertMasterData } from './upsert-master-data';

/**
 * `PUT /api/v1/{accounts|price-lists|units}/{id}`: one item upserted as a bulk item is (the key from
 * the route; a body naming another key is refused). A price list's prices merge into the stored ones.
 */
export async function putMasterDataRecord(
  deps: BulkUpsertDeps,
  entity: MasterDataEntity,
  id: string,
  body: unknown
): Promise<StoredRecord & { created: boolean }> {
  const kind = deps.kinds[entity];
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined;
  if (fields === undefined)
    throw new ValidationError('The body is not valid.', [{ path: '', message: 'must be an object' }]);
  const given = (fields as Record<string, unknown>)[kind.keyField];
  if (given !== undefined && given !== id) {
    throw new ValidationError('The body is not valid.', [
      { path: `/${kind.keyField}`, message: 'differs from the route' },
    ]);
  }
  const { counts, issues } = await upsertMasterData(
    deps,
    kind,
    [{ at: 0, item: { ...fields, [kind.keyField]: id } }],
    'item'
  );
  if (issues.length > 0) {
    throw new ValidationError(`The ${entity.replace(/s$/, '').replace('-', ' ')} is not valid.`, issues);
  }
  return { ...(await getMasterDataRecord(deps.store, entity, id)), created: counts.created > 0 };
}
