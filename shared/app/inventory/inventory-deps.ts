import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import type { ChangeMode } from '../../domain/inventory/inventory-change';
import type { AllocationGroup, Dimensions } from '../../domain/inventory/inventory-row';
import type { MeasureDefinitions } from '../../domain/inventory/measures/measures';
import type { Source } from '../../domain/fulfillment/source';
import type { Clock } from '../../ports/clock';
import type { InventoryStore } from '../../ports/inventory';
import type { ProductRepository } from '../../ports/products';
import type { SourceRepository } from '../../ports/sources';
import type { InventoryReservationQueue } from './inventory-reservation-queue';

/** One change event of `POST /api/v1/inventory/onhand/bulk`: `quantity` is a delta. */
export interface ChangeEventInput {
  id: string;
  sku: string;
  sourceId: string;
  measure: string;
  quantity: number;
  dimensions?: Dimensions;
}

/** A change as `applyInventoryChanges` takes it: a delta (default) or, with `mode: "set"`, an absolute value. */
export interface InventoryChangeInput extends ChangeEventInput {
  mode?: ChangeMode;
}

/** One entry of `POST /api/v1/inventory/onhand/set`. */
export interface SetEntryInput {
  id?: string;
  sku: string;
  sourceId: string;
  measure: string;
  quantity: number;
  dimensions?: Dimensions;
}

export type InventoryGrouping = 'source' | 'none' | 'row';

export interface InventoryQueryInput {
  skus: string[];
  sourceIds?: string[];
  /** `source` (default): per SKU and source; `none`: per SKU; `row`: per SKU, source and dimensions. */
  groupBy?: InventoryGrouping;
  /** Only rows having these dimensions (and maybe more). */
  dimensions?: Dimensions;
}

export interface ReserveInput {
  id: string;
  sku: string;
  sourceId: string;
  quantity: number;
  dimensions?: Dimensions;
}

export interface UnreserveInput {
  reservationId: string;
  /** The reservation's SKU: a point read instead of a search (ids are unique per SKU). */
  sku?: string;
  /** Absent: release all that remains. */
  quantity?: number;
  /** Makes a partial release safe to repeat. */
  id?: string;
}

export interface AllocateInput {
  id: string;
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  group: AllocationGroup;
  quantity: number;
}

export interface ReallocateInput {
  id: string;
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  from: AllocationGroup;
  to: AllocationGroup;
  quantity: number;
}

export interface ConsumeInput extends AllocateInput {
  /** Consume into a soft reservation whose id is the operation id. */
  reserve?: boolean;
}

export interface AllocationQueryInput {
  skus: string[];
  sourceIds?: string[];
  channel?: string;
}

/** Compiled validators (shared/schemas/inventory.schema.ts); each throws a ValidationError with paths. */
export interface InventoryValidators {
  change: (input: unknown) => InventoryChangeInput;
  changeEvents: (input: unknown) => ChangeEventInput[];
  setEntries: (input: unknown) => SetEntryInput[];
  query: (input: unknown) => InventoryQueryInput;
  reserve: (input: unknown) => ReserveInput;
  unreserve: (input: unknown) => UnreserveInput;
  allocate: (input: unknown) => AllocateInput;
  reallocate: (input: unknown) => ReallocateInput;
  unallocate: (input: unknown) => AllocateInput;
  consume: (input: unknown) => ConsumeInput;
  allocationQuery: (input: unknown) => AllocationQueryInput;
}

/** What every inventory use case gets (shared/composition.ts `getInventoryDeps()`). */
export interface InventoryDeps {
  validators: InventoryValidators;
  store: InventoryStore;
  sources: SourceRepository;
  products: ProductRepository;
  clock: Clock;
  measures: MeasureDefinitions;
  /** Group commit of reservations per row; one per worker, shared by every call. */
  reservationQueue: InventoryReservationQueue;
}

/**
 * Sources and products looked up at most once per call (a bulk of 512 events for 3 sources reads
 * each source once), and never cached beyond it: a source's safety stock may change any time.
 */
export class InventoryLookups {
  readonly #sources = new Map<string, Promise<Source | undefined>>();
  readonly #products = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: Pick<InventoryDeps, 'sources' | 'products'>) {}

  source(id: string): Promise<Source | undefined> {
    let found = this.#sources.get(id);
    if (found === undefined) {
      found = this.deps.sources.get(id).then((v) => v?.source);
      this.#sources.set(id, found);
    }
    return found;
  }

  productExists(sku: string): Promise<boolean> {
    let found = this.#products.get(sku);
    if (found === undefined) {
      found = this.deps.products.get(sku).then((v) => v !== undefined);
      this.#products.set(sku, found);
    }
    return found;
  }

  /** The source, or NotFoundError naming it. */
  async requireSource(id: string): Promise<Source> {
    const source = await this.source(id);
    if (source === undefined) throw unknownSource(id);
    return source;
  }

  /** NotFoundError naming the SKU when no product has it. */
  async requireProduct(sku: string): Promise<void> {
    if (!(await this.productExists(sku))) throw unknownSku(sku);
  }

  /**
   * The issues of rows that name an unknown SKU or source, each at `{prefix}/sku` or
   * `{prefix}/sourceId` — every offending entry of a bulk call, not only the first.
   */
  async unknownReferences(
    entries: readonly { sku: string; sourceId: string }[],
    pathOf: (index: number) => string
  ): Promise<ValidationIssue[]> {
    const issues: ValidationIssue[] = [];
    await Promise.all(
      entries.map(async (entry, index) => {
        const [product, source] = await Promise.all([
          this.productExists(entry.sku),
          this.source(entry.sourceId),
        ]);
        if (!product)
          issues.push({ path: `${pathOf(index)}/sku`, message: `no product has SKU "${entry.sku}"` });
        if (source === undefined) {
          issues.push({ path: `${pathOf(index)}/sourceId`, message: `no source has id "${entry.sourceId}"` });
        }
      })
    );
    return issues.sort((a, b) => comparePaths(a.path, b.path));
  }
}

export function unknownSource(id: string): NotFoundError {
  return new NotFoundError(`No source has id "${id}".`, {
    code: 'unknown-source',
    extensions: { sourceId: id },
  });
}

export function unknownSku(sku: string): NotFoundError {
  return new NotFoundError(`No product has SKU "${sku}".`, { code: 'unknown-sku', extensions: { sku } });
}

/** Orders `/10/sku` after `/9/sourceId`: numeric segments compare as numbers. */
function comparePaths(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Throws one ValidationError when there are issues. */
export function throwIfIssues(message: string, issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(message, issues);
}
