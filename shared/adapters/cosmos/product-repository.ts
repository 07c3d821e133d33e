import type { Container } from '@azure/cosmos';
import type { Product } from '../../domain/products/product';
import type { Clock } from '../../ports/clock';
import type { ProductRepository, VersionedProduct } from '../../ports/products';
import { DocumentStore, type Stored } from './document-store';

interface ProductDocument extends Product {
  id: string;
  type: 'product';
  /** `product:{sku}`: each product is its own partition of the `catalog` container (docs/data.md). */
  key: string;
}

/** Products in the `catalog` container, one partition each, id = SKU. */
export class CosmosProductRepository implements ProductRepository {
  readonly #reads: DocumentStore<ProductDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#reads = new DocumentStore<ProductDocument>(container, '/key', clock);
  }

  async get(sku: string): Promise<VersionedProduct | undefined> {
    const doc = await this.#reads.read(sku, keyOf(sku));
    return doc === undefined ? undefined : versioned(doc);
  }

  async create(product: Product): Promise<VersionedProduct> {
    return versioned(await this.#writer(product).create(documentOf(product)));
  }

  async replace(product: Product, etag: string): Promise<VersionedProduct> {
    const newEtag = await this.#writer(product).replaceIfMatch(documentOf(product), etag);
    return { product, etag: newEtag };
  }

  /**
   * A store whose clock stands at the product's updatedAt: the domain chose the timestamps (from the
   * clock port), so what is stored is exactly what the caller answers with, to the millisecond.
   */
  #writer(product: Product): DocumentStore<ProductDocument> {
    const at = new Date(product.updatedAt);
    return new DocumentStore<ProductDocument>(this.container, '/key', { now: () => at });
  }
}

function keyOf(sku: string): string {
  return `product:${sku}`;
}

function documentOf(product: Product): ProductDocument {
  return { ...product, id: product.sku, type: 'product', key: keyOf(product.sku) };
}

function versioned(doc: Stored<ProductDocument>): VersionedProduct {
  const { id: _id, type: _type, key: _key, _etag, _ts, ...product } = doc;
  return { product, etag: _etag };
}
