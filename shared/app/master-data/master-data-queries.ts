import { NotFoundError } from '../../domain/errors';
import type { MasterDataEntity } from '../../domain/master-data/master-data-entities';
import type {
  MasterDataImport,
  MasterDataImportRecords,
  MasterDataStore,
  StoredRecord,
} from '../../ports/master-data';
import { masterDataKeySchema } from '../../schemas/master-data.schema';
import { compileValidator } from '../../schemas/validator';
import { entityOf } from './bulk-upsert-master-data';

const validateKey = compileValidator<{ id: string }>(
  { type: 'object', additionalProperties: false, required: ['id'], properties: { id: masterDataKeySchema } },
  'key'
);

/** One record (an account, a price list, a unit) with its version; NotFoundError when absent. */
export async function getMasterDataRecord(
  store: MasterDataStore,
  entity: MasterDataEntity,
  rawId: string
): Promise<StoredRecord> {
  const { id } = validateKey({ id: rawId });
  const found = await store.get(entity, id);
  if (found === undefined) {
    throw new NotFoundError(`No ${entity.replace(/s$/, '').replace('-', ' ')} ${id}.`, {
      code: `${entity.replace(/s$/, '')}-not-found`,
    });
  }
  return found;
}

/** One file import (its progress while it runs, its report when done); NotFoundError when unknown. */
export async function getMasterDataImport(
  records: MasterDataImportRecords,
  importId: string
): Promise<MasterDataImport> {
  const found = /^[A-Za-z0-9-]{1,100}$/.test(importId) ? await records.get(importId) : undefined;
  if (found === undefined) throw new NotFoundError(`No import ${importId}.`, { code: 'import-not-found' });
  return found;
}

/** The latest file imports (without their errors), optionally of one entity. */
export async function listMasterDataImports(
  records: MasterDataImportRecords,
  entityName: string | undefined
): Promise<Omit<MasterDataImport, 'errors'>[]> {
  const entity = entityName === undefined || entityName === '' ? undefined : entityOf(entityName);
  const found = await records.list(entity, 100);
  return found.map(({ errors: _errors, ...summary }) => summary);
}
