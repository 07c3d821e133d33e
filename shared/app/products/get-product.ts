import { NotFoundError } from '../../domain/errors';
import type { ProductRepository, VersionedProduct } from '../../ports/products';
import { validateSku } from './validate-product-request';
import type { ProductValidators } from '../../ports/validators';

export interface GetProductDeps {
  validators: ProductValidators;
  products: ProductRepository;
}

/** One product with its version; NotFoundError (`product-not-found`) when the SKU is unknown. */
export async function getProduct(deps: GetProductDeps, rawSku: string): Promise<VersionedProduct> {
  const sku = validateSku(deps.validators, rawSku);
  const found = await deps.products.get(sku);
  if (found === undefined) throw new NotFoundError(`No product ${sku}.`, { code: 'product-not-found' });
  return found;
}
