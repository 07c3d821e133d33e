import type { Container } from '@azure/cosmos';
import type { ProviderInstance } from '../../domain/providers/provider-instance';
import type { Transformation } from '../../domain/providers/transformation';
import type { MappingGroup } from '../../domain/providers/value-mappings';
import type { Clock } from '../../ports/clock';
import type { ProviderConfigRepository } from '../../ports/providers';
import { DocumentStore, type Stored } from './document-store';

type Kind = 'provider-instance' | 'mapping-group' | 'transformation';

interface ConfigDocument<K extends Kind, V> {
  /** `{kind}:{id}`. */
  id: string;
  type: K;
  kind: K;
  value: V;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Provider instances, mapping groups and user transformations in `config`, one partition per kind
 * (a tenant has tens of each). Instances hold their secrets; the API layer never shows them.
 */
export class CosmosProviderConfigRepository implements ProviderConfigRepository {
  readonly #store: DocumentStore<ConfigDocument<Kind, unknown>>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<ConfigDocument<Kind, unknown>>(container, '/kind', clock);
  }

  getInstance(id: string): Promise<ProviderInstance | undefined> {
    return this.#get<ProviderInstance>('provider-instance', id);
  }

  listInstances(): Promise<ProviderInstance[]> {
    return this.#list<ProviderInstance>('provider-instance');
  }

  async putInstance(instance: ProviderInstance): Promise<void> {
    await this.#store.upsert(documentOf('provider-instance', instance.id, instance));
  }

  getMappingGroup(id: string): Promise<MappingGroup | undefined> {
    return this.#get<MappingGroup>('mapping-group', id);
  }

  listMappingGroups(): Promise<MappingGroup[]> {
    return this.#list<MappingGroup>('mapping-group');
  }

  async putMappingGroup(group: MappingGroup): Promise<void> {
    await this.#store.upsert(documentOf('mapping-group', group.id, group));
  }

  async getTransformation(id: string): Promise<{ transformation: Transformation; etag: string } | undefined> {
    const stored = await this.#store.read(`transformation:${id}`, 'transformation');
    return stored === undefined
      ? undefined
      : { transformation: stored.value as Transformation, etag: stored._etag };
  }

  listTransformations(): Promise<Transformation[]> {
    return this.#list<Transformation>('transformation');
  }

  async putTransformation(transformation: Transformation, etag?: string): Promise<void> {
    const doc = documentOf('transformation', transformation.id, transformation);
    if (etag === undefined) await this.#store.create(doc);
    else await this.#store.replaceIfMatch(doc, etag);
  }

  async #get<V>(kind: Kind, id: string): Promise<V | undefined> {
    return (await this.#store.read(`${kind}:${id}`, kind))?.value as V | undefined;
  }

  async #list<V extends { id: string }>(kind: Kind): Promise<V[]> {
    const values: V[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query<Stored<ConfigDocument<Kind, V>>>(
        `SELECT * FROM c WHERE c.kind = '${kind}' AND c.type = '${kind}'`,
        {},
        { partitionKey: kind, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      values.push(...page.items.map((doc) => doc.value));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return values.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function documentOf<K extends Kind, V extends { createdAt?: string }>(
  kind: K,
  id: string,
  value: V
): ConfigDocument<K, V> {
  return {
    id: `${kind}:${id}`,
    type: kind,
    kind,
    value,
    ...(value.createdAt ? { createdAt: value.createdAt } : {}),
  };
}
