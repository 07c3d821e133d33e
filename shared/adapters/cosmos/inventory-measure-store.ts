import type { Container } from '@azure/cosmos';
import type { StoredMeasureConfiguration } from '../../domain/inventory/measures/measure-config';
import type { MeasureConfigurationStore } from '../../ports/inventory-measures';
import type { Clock } from '../../ports/clock';
import { DocumentStore, type BaseDocument } from './document-store';

interface MeasureConfigurationDocument extends BaseDocument, StoredMeasureConfiguration {
  type: 'inventory-measures';
  kind: 'inventory-measures';
}

const kind = 'inventory-measures';

/** The inventory measure configuration: one document in `config` (partition `inventory-measures`). */
export class CosmosInventoryMeasureStore implements MeasureConfigurationStore {
  readonly #store: DocumentStore<MeasureConfigurationDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<MeasureConfigurationDocument>(container, '/kind', clock);
  }

  async get(): Promise<{ value: StoredMeasureConfiguration; etag: string } | undefined> {
    const doc = await this.#store.read(kind, kind);
    return doc === undefined ? undefined : { value: valueOf(doc), etag: doc._etag };
  }

  /** ConflictError when it exists already. */
  async create(
    value: StoredMeasureConfiguration
  ): Promise<{ value: StoredMeasureConfiguration; etag: string }> {
    const doc = await this.#store.create(documentOf(value));
    return { value: valueOf(doc), etag: doc._etag };
  }

  /** PreconditionFailedError when it changed since `etag`, NotFoundError when it is gone. */
  async replace(
    value: StoredMeasureConfiguration,
    etag: string
  ): Promise<{ value: StoredMeasureConfiguration; etag: string }> {
    return { value, etag: await this.#store.replaceIfMatch(documentOf(value), etag) };
  }
}

function documentOf(value: StoredMeasureConfiguration): MeasureConfigurationDocument {
  return { id: kind, type: kind, kind, physical: value.physical, calculated: value.calculated };
}

function valueOf(doc: MeasureConfigurationDocument): StoredMeasureConfiguration {
  return { physical: doc.physical, calculated: doc.calculated };
}
