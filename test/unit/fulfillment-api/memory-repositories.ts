import { ConflictError, NotFoundError, PreconditionFailedError } from '../../../shared/domain/errors';
import type { SourceList } from '../../../shared/domain/fulfillment/source-list';
import type { FulfillmentStrategy } from '../../../shared/domain/fulfillment/strategy';
import type { Product } from '../../../shared/domain/products/product';
import type { Source } from '../../../shared/domain/fulfillment/source';
import type {
  StrategyRepository,
  StrategyWrite,
  VersionedStrategy,
} from '../../../shared/ports/fulfillment-strategies';
import type { ProductRepository, VersionedProduct } from '../../../shared/ports/products';
import type { SourceListRepository, VersionedSourceList } from '../../../shared/ports/source-lists';
import type { SourceRepository, VersionedSource } from '../../../shared/ports/sources';

/** In-memory stores with Cosmos's semantics: creates conflict, replaces and deletes check the version. */
let version = 0;
const nextEtag = () => `v${++version}`;

export class MemoryStrategies implements StrategyRepository {
  readonly rows = new Map<string, VersionedStrategy>();
  /** Runs before each batch, to let another writer in between read and write. */
  beforeWrite: (() => void) | undefined;

  get(id: string) {
    return Promise.resolve(this.rows.get(id));
  }

  list() {
    return Promise.resolve([...this.rows.values()].sort((a, b) => (a.strategy.id < b.strategy.id ? -1 : 1)));
  }

  write(writes: readonly StrategyWrite[]) {
    this.beforeWrite?.();
    // All or nothing: check every write before applying any.
    for (const { strategy, etag } of writes) {
      const current = this.rows.get(strategy.id);
      if (etag === undefined && current !== undefined) return Promise.reject(new ConflictError('exists'));
      if (etag !== undefined && current === undefined) return Promise.reject(new NotFoundError('gone'));
      if (etag !== undefined && current!.etag !== etag)
        return Promise.reject(new PreconditionFailedError('changed'));
    }
    return Promise.resolve(
      writes.map(({ strategy }) => {
        const stored = { strategy, etag: nextEtag() };
        this.rows.set(strategy.id, stored);
        return stored;
      })
    );
  }

  delete(id: string, etag: string) {
    const current = this.rows.get(id);
    if (current === undefined) return Promise.reject(new NotFoundError('gone'));
    if (current.etag !== etag) return Promise.reject(new PreconditionFailedError('changed'));
    this.rows.delete(id);
    return Promise.resolve();
  }

  /** Stores strategies as they are (test setup). */
  seed(...strategies: FulfillmentStrategy[]) {
    for (const strategy of strategies) this.rows.set(strategy.id, { strategy, etag: nextEtag() });
    return this;
  }
}

export class MemorySourceLists implements SourceListRepository {
  readonly rows = new Map<string, VersionedSourceList>();

  get(id: string) {
    return Promise.resolve(this.rows.get(id));
  }

  list() {
    return Promise.resolve([...this.rows.values()].map((v) => v.sourceList));
  }

  create(sourceList: SourceList) {
    if (this.rows.has(sourceList.id)) return Promise.reject(new ConflictError('exists'));
    return Promise.resolve(this.#store(sourceList));
  }

  replace(sourceList: SourceList, etag: string) {
    const current = this.rows.get(sourceList.id);
    if (current === undefined) return Promise.reject(new NotFoundError('gone'));
    if (current.etag !== etag) return Promise.reject(new PreconditionFailedError('changed'));
    return Promise.resolve(this.#store(sourceList));
  }

  delete(id: string, etag: string) {
    const current = this.rows.get(id);
    if (current === undefined) return Promise.reject(new NotFoundError('gone'));
    if (current.etag !== etag) return Promise.reject(new PreconditionFailedError('changed'));
    this.rows.delete(id);
    return Promise.resolve();
  }

  #store(sourceList: SourceList) {
    const stored = { sourceList, etag: nextEtag() };
    this.rows.set(sourceList.id, stored);
    return stored;
  }
}

export class MemorySources implements SourceRepository {
  readonly rows = new Map<string, VersionedSource>();

  constructor(sources: Source[] = []) {
    for (const source of sources) this.rows.set(source.id, { source, etag: nextEtag() });
  }

  get(id: string) {
    return Promise.resolve(this.rows.get(id));
  }

  list() {
    return Promise.resolve(
      [...this.rows.values()].map((v) => v.source).sort((a, b) => (a.id < b.id ? -1 : 1))
    );
  }

  create(): Promise<VersionedSource> {
    return Promise.reject(new Error('not used'));
  }

  replace(): Promise<VersionedSource> {
    return Promise.reject(new Error('not used'));
  }
}

export class MemoryProducts implements ProductRepository {
  constructor(private readonly skus: string[]) {}

  get(sku: string): Promise<VersionedProduct | undefined> {
    const product: Product = { sku, name: sku, createdAt: at, updatedAt: at };
    return Promise.resolve(this.skus.includes(sku) ? { product, etag: 'p' } : undefined);
  }

  create(): Promise<VersionedProduct> {
    return Promise.reject(new Error('not used'));
  }

  replace(): Promise<VersionedProduct> {
    return Promise.reject(new Error('not used'));
  }
}

const at = '2026-11-23T10:00:00.000Z';

/** A stored source at (lat, lon), online, accepting returns unless told otherwise. */
export function storedSource(id: string, lat: number, lon: number, extra: Partial<Source> = {}): Source {
  return {
    id,
    name: `Source ${id}`,
    type: 'warehouse',
    address: { postalCode: '00000', country: 'US' },
    location: { lat, lon, geocoded: false },
    online: true,
    timeZone: 'UTC',
    safetyStock: 0,
    calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
    priority: 1,
    costs: {},
    acceptsReturns: true,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

export function storedStrategy(id: string, extra: Partial<FulfillmentStrategy> = {}): FulfillmentStrategy {
  return {
    id,
    name: id,
    isDefault: false,
    objective: 'distance',
    useRealInventory: true,
    batchIntervalSeconds: 120,
    mergeWindowSeconds: 0,
    simulation: false,
    roadFactor: 1,
    constraints: [],
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}
