import { productFromInput } from '../../domain/products/product';
import type { Clock } from '../../ports/clock';
import type { ProductRepository, VersionedProduct } from '../../ports/products';
import { putVersioned, type WritePreconditions } from '../versioned-resources/put-versioned';
import { validateProductRequest } from './validate-product-request';
import type { ProductValidators } from '../../ports/validators';

export interface PutProductDeps {
  validators: ProductValidators;
  products: ProductRepository;
  clock: Clock;
}

/** The request's If-Match / If-None-Match, parsed (absent: no condition). */
export type ProductPreconditions = WritePreconditions;

export interface PutProductResult extends VersionedProduct {
  created: boolean;
}

/**
 * Creates or replaces a product (`PUT /api/v1/products/{sku}`) under the preconditions given; see
 * putVersioned for how races and If-Match / If-None-Match are settled.
 */
export async function putProduct(
  deps: PutProductDeps,
  rawSku: string,
  body: unknown,
  preconditions: ProductPreconditions = {}
): Promise<PutProductResult> {
  const { sku, input } = validateProductRequest(deps.validators, rawSku, body);
  const { products } = deps;
  const result = await putVersioned(
    {
      get: async (key) => {
        const found = await products.get(key);
        return found && { value: found.product, etag: found.etag };
      },
      create: async (product) => {
        const stored = await products.create(product);
        return { value: stored.product, etag: stored.etag };
      },
      replace: async (product, etag) => {
        const stored = await products.replace(product, etag);
        return { value: stored.product, etag: stored.etag };
      },
    },
    sku,
    `Product ${sku}`,
    (existing) => productFromInput(sku, input, existing, deps.clock.now()),
    preconditions
  );
  return { product: result.value, etag: result.etag, created: result.created };
}
