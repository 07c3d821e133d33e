import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import type { Source } from '../../domain/fulfillment/source';
import type { InventoryDeps } from '../../ports/inventory-requests';

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
