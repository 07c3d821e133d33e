import type { ProviderInstance } from '../../domain/providers/provider-instance';
import type { Transformation } from '../../domain/providers/transformation';
import type { MappingGroup } from '../../domain/providers/value-mappings';
import type { Clock } from '../../ports/clock';
import type { ProviderConnection } from '../../ports/provider-plugins';
import type { ProviderConfigRepository } from '../../ports/providers';
import { BriefCache } from '../brief-cache';

/**
 * Provider configuration as message handling reads it: every webhook and queued message needs its
 * instance, mapping group and transformations, so they are read at most once a second per worker
 * (a tenant has tens of each) and forgotten at once when this worker changes them.
 *
 * An id missing from what was read is read again by itself: it may have been created on another
 * worker within the second (the webhook that was just accepted names an instance this worker has not
 * seen yet, or an instance names a transformation newer than this worker's list). Taking the miss as
 * final would put the message on the error list as if the instance were gone, or run the built-in
 * transformation instead of the user's.
 */
export class ProviderSettings {
  readonly #instances: BriefCache<Map<string, ProviderInstance>>;
  readonly #groups: BriefCache<Map<string, MappingGroup>>;
  readonly #transformations: BriefCache<Map<string, Transformation>>;

  constructor(
    readonly repository: ProviderConfigRepository,
    clock: Clock
  ) {
    const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));
    this.#instances = new BriefCache(async () => byId(await repository.listInstances()), clock);
    this.#groups = new BriefCache(async () => byId(await repository.listMappingGroups()), clock);
    this.#transformations = new BriefCache(async () => byId(await repository.listTransformations()), clock);
  }

  async instance(id: string): Promise<ProviderInstance | undefined> {
    return (await this.#instances.get()).get(id) ?? (await this.repository.getInstance(id));
  }

  async instances(): Promise<ProviderInstance[]> {
    return [...(await this.#instances.get()).values()];
  }

  async mappingGroup(id: string): Promise<MappingGroup | undefined> {
    return (await this.#groups.get()).get(id) ?? (await this.repository.getMappingGroup(id));
  }

  async transformation(id: string): Promise<Transformation | undefined> {
    return (
      (await this.#transformations.get()).get(id) ??
      (await this.repository.getTransformation(id))?.transformation
    );
  }

  /** Forgets what was read (this worker just wrote configuration). */
  forget(): void {
    this.#instances.forget();
    this.#groups.forget();
    this.#transformations.forget();
  }
}

/** What a plug-in sees of an instance. */
export function connectionOf(instance: ProviderInstance): ProviderConnection {
  return { instanceId: instance.id, parameters: instance.parameters, secrets: instance.secrets };
}
