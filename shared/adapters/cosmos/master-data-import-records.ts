import type { Container } from '@azure/cosmos';
import type { MasterDataEntity } from '../../domain/master-data/master-data-entities';
import type { Clock } from '../../ports/clock';
import type { MasterDataImport, MasterDataImportRecords } from '../../ports/master-data';
import { DocumentStore, type Stored } from './document-store';

const kind = 'master-data-import';

interface ImportDocument extends MasterDataImport {
  id: string;
  type: typeof kind;
  kind: typeof kind;
  createdAt?: string;
  updatedAt?: string;
}

/** Master-data file imports in the `jobs` container, partition `master-data-import`, id = importId. */
export class CosmosMasterDataImportRecords implements MasterDataImportRecords {
  readonly #store: DocumentStore<ImportDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<ImportDocument>(container, '/kind', clock);
  }

  async get(importId: string): Promise<MasterDataImport | undefined> {
    const doc = await this.#store.read(importId, kind);
    return doc === undefined ? undefined : recordOf(doc);
  }

  async list(entity: MasterDataEntity | undefined, limit: number): Promise<MasterDataImport[]> {
    const top = Math.max(1, Math.min(Math.trunc(limit), 1000));
    const where = entity === undefined ? '' : ' AND c.entity = @entity';
    const page = await this.#store.query(
      `SELECT TOP ${top} * FROM c WHERE c.type = '${kind}'${where} ORDER BY c.startedAt DESC`,
      entity === undefined ? {} : { entity },
      { partitionKey: kind, maxItemCount: top }
    );
    return page.items.map(recordOf);
  }

  async save(record: MasterDataImport): Promise<void> {
    await this.#store.upsert({ ...record, id: record.importId, type: kind, kind });
  }
}

function recordOf(doc: Stored<ImportDocument>): MasterDataImport {
  const { id: _id, type: _type, kind: _kind, _etag, _ts, createdAt: _c, updatedAt: _u, ...record } = doc;
  return record;
}
