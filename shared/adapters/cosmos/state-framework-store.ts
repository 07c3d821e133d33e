import type { Container } from '@azure/cosmos';
import type { CustomStateFrameworkConfig } from '../../domain/states/merge-config';
import type { Clock } from '../../ports/clock';
import type { StateFrameworkStore } from '../../ports/state-framework';
import { DocumentStore } from './document-store';

interface StateFrameworkDocument {
  id: string;
  type: 'state-framework';
  kind: 'state-framework';
  custom: CustomStateFrameworkConfig;
}

const documentId = 'state-framework';

/** The custom state framework in the `config` container (partition `state-framework`). */
export class CosmosStateFrameworkStore implements StateFrameworkStore {
  readonly #store: DocumentStore<StateFrameworkDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<StateFrameworkDocument>(container, '/kind', clock);
  }

  async read(): Promise<{ custom: CustomStateFrameworkConfig; etag?: string }> {
    const stored = await this.#store.read(documentId, 'state-framework');
    return stored ? { custom: stored.custom, etag: stored._etag } : { custom: {} };
  }

  async write(custom: CustomStateFrameworkConfig, etag: string | undefined): Promise<string> {
    const doc: StateFrameworkDocument = {
      id: documentId,
      type: 'state-framework',
      kind: 'state-framework',
      custom,
    };
    if (etag === undefined) return (await this.#store.upsert(doc))._etag;
    return this.#store.replaceIfMatch(doc, etag);
  }
}
