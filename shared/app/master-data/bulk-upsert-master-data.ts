import { NotFoundError } from '../../domain/errors';
import {
  isMasterDataEntity,
  masterDataEntities,
  type MasterDataEntity,
  type UpsertCounts,
} from '../../domain/master-data/master-data-entities';
import { masterDataBulkSchema } from '../../schemas/master-data.schema';
import { compileValidator } from '../../schemas/validator';
import type { MasterDataKind } from './master-data-kinds';
import { upsertMasterData, type UpsertMasterDataDeps } from './upsert-master-data';

export interface BulkUpsertDeps extends UpsertMasterDataDeps {
  kinds: Readonly<Record<MasterDataEntity, MasterDataKind>>;
}

export interface BulkUpsertReport extends UpsertCounts {
  entity: MasterDataEntity;
  /** Each bad item's index and the path inside the body (`/items/3/name`). */
  errors: { index: number; path: string; message: string }[];
}

const validateBody = compileValidator<{ items: unknown[] }>(masterDataBulkSchema, 'bulk request');

/** The entity named in a route, or NotFoundError (`unknown-master-data-entity`). */
export function entityOf(name: string): MasterDataEntity {
  if (isMasterDataEntity(name)) return name;
  throw new NotFoundError(`No master data ${name}; use one of ${masterDataEntities.join(', ')}.`, {
    code: 'unknown-master-data-entity',
  });
}

/**
 * `POST /api/v1/master-data/{entity}/bulk` `{items: [...]}`: the items upserted by key as a dropped
 * file's rows are (a bad item is reported and the others go on); answers the counts and the errors.
 */
export async function bulkUpsertMasterData(
  deps: BulkUpsertDeps,
  entityName: string,
  body: unknown
): Promise<BulkUpsertReport> {
  const entity = entityOf(entityName);
  const { items } = validateBody(body);
  const { counts, issues } = await upsertMasterData(
    deps,
    deps.kinds[entity],
    items.map((item, index) => ({ at: index, item })),
    'item'
  );
  return {
    entity,
    ...counts,
    errors: issues.map(({ at, path, message }) => ({ index: at, path: `/items/${at}${path}`, message })),
  };
}
