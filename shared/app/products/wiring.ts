import { CosmosProductRepository } from '../../adapters/cosmos/product-repository';
import type { ProductInput } from '../../domain/products/product';
import type { ProductRepository } from '../../ports/products';
import { productInputSchema, productRouteSchema } from '../../schemas/product.schema';
import { compileValidator } from '../../schemas/validator';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import type { PutProductDeps } from './put-product';
import type { ProductValidators } from '../../ports/validators';

/** Products in `catalog` (partition = SKU). */
export async function getProductRepository(): Promise<ProductRepository> {
  return new CosmosProductRepository(await getContainer('catalog'), getClock());
}

/** The product route and body validators, compiled on first use. */
export function getProductValidators(): ProductValidators {
  return memo('validators:product', () => ({
    route: compileValidator<{ sku: string }>(productRouteSchema, 'product SKU'),
    body: compileValidator<ProductInput>(productInputSchema(), 'product'),
  }));
}

/** What the product use cases need (getProduct uses all but the clock). */
export async function productDeps(): Promise<PutProductDeps> {
  return { validators: getProductValidators(), products: await getProductRepository(), clock: getClock() };
}
