import type { Product } from '../domain/products/product';

/** A product with the version it was read or written at (the storage ETag, opaque). */
export interface VersionedProduct {
  product: Product;
  etag: string;
}

/** Products in the catalog (master data, docs/data.md). Writes store the product's timestamps as given. */
export interface ProductRepository {
  get(sku: string): Promise<VersionedProduct | undefined>;
  /** Stores a new product; ConflictError when the SKU already exists. */
  create(product: Product): Promise<VersionedProduct>;
  /**
   * Overwrites the product only if it is still at version `etag`: PreconditionFailedError when someone
   * wrote since, NotFoundError when it is gone.
   */
  replace(product: Product, etag: string): Promise<VersionedProduct>;
}
