import { ValidationError } from '../../../domain/errors';
import {
  defaultStoredMeasureConfiguration,
  measureConfigurationOf,
  measureDefinitionsOf,
  storedMeasureConfigurationOf,
  type MeasureConfiguration,
  type MeasureConfigurationInput,
  type StoredMeasureConfiguration,
} from '../../../domain/inventory/measures/measure-config';
import type { MeasureDefinitions } from '../../../domain/inventory/measures/measures';
import type { Clock } from '../../../ports/clock';
import type { MeasureConfigurationStore } from '../../../ports/inventory-measures';
import {
  putVersioned,
  type VersionedStore,
  type WritePreconditions,
} from '../../versioned-resources/put-versioned';

export interface MeasureConfigurationDeps {
  store: MeasureConfigurationStore;
  validate: (input: unknown) => MeasureConfigurationInput;
  /** Told about a saved configuration, so that this worker uses it at once. */
  cache?: MeasureDefinitionsCache;
}

/** `GET /api/v1/inventory/measures`: the configuration in force; no ETag while the defaults are. */
export async function readMeasureConfiguration(
  store: MeasureConfigurationStore
): Promise<{ configuration: MeasureConfiguration; etag?: string }> {
  const found = await store.get();
  if (found === undefined)
    return { configuration: measureConfigurationOf(defaultStoredMeasureConfiguration) };
  return { configuration: measureConfigurationOf(found.value), etag: found.etag };
}

/**
 * `PUT /api/v1/inventory/measures`: replaces the configuration, checked whole first (schema, then
 * the rules with paths); nothing is stored when anything is wrong. If-Match / If-None-Match as for
 * any versioned resource (putVersioned): while the defaults are in force there is no document, so
 * only `If-None-Match: *` or no condition can create it.
 */
export async function replaceMeasureConfiguration(
  deps: MeasureConfigurationDeps,
  body: unknown,
  preconditions: WritePreconditions = {}
): Promise<{ configuration: MeasureConfiguration; etag: string; created: boolean }> {
  const checked = storedMeasureConfigurationOf(deps.validate(body));
  if (!checked.ok) throw new ValidationError('The measure configuration is not valid.', checked.issues);
  const store: VersionedStore<StoredMeasureConfiguration> = {
    get: () => deps.store.get(),
    create: (value) => deps.store.create(value),
    replace: (value, etag) => deps.store.replace(value, etag),
  };
  const result = await putVersioned(
    store,
    'inventory-measures',
    'The measure configuration',
    () => checked.value,
    preconditions
  );
  deps.cache?.invalidate();
  return { configuration: measureConfigurationOf(result.value), etag: result.etag, created: result.created };
}

/** How long a worker uses the configuration it read (a saved change reaches other workers within this). */
export const measureConfigurationCacheMs = 5000;

/**
 * The measure definitions in force, read at most once per `measureConfigurationCacheMs` by this
 * worker (every inventory call needs them; the document changes rarely). Concurrent callers share
 * one read; a failed read is not kept.
 */
export class MeasureDefinitionsCache {
  #current: { definitions: Promise<MeasureDefinitions>; until: number } | undefined;

  constructor(
    private readonly store: () => Promise<MeasureConfigurationStore>,
    private readonly clock: Clock,
    private readonly ttlMs = measureConfigurationCacheMs
  ) {}

  definitions(): Promise<MeasureDefinitions> {
    const now = this.clock.now().getTime();
    if (this.#current !== undefined && this.#current.until > now) return this.#current.definitions;
    const entry = {
      definitions: this.#load(),
      until: now + this.ttlMs,
    };
    this.#current = entry;
    entry.definitions.catch(() => {
      if (this.#current === entry) this.#current = undefined;
    });
    return entry.definitions;
  }

  invalidate(): void {
    this.#current = undefined;
  }

  async #load(): Promise<MeasureDefinitions> {
    const found = await (await this.store()).get();
    return measureDefinitionsOf(found?.value ?? defaultStoredMeasureConfiguration);
  }
}
