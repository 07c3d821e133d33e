import { collectIssues } from '../common/collect-issues';
import { ValidationError, type ValidationIssue } from '../../domain/errors';
import type { ProductInput } from '../../domain/products/product';

/** Compiled validators (shared/schemas/product.schema.ts) of a product request's parts. */
export interface ProductValidators {
  /** The route parameters, given as `{sku}` so issues are reported at `/sku`. */
  route: (input: unknown) => { sku: string };
  body: (input: unknown) => ProductInput;
}

/** The SKU of a route, or a ValidationError at `/sku`. */
export function validateSku(validators: ProductValidators, sku: string): string {
  return validators.route({ sku }).sku;
}

/** The SKU and the body of `PUT /api/v1/products/{sku}`, or one ValidationError listing both parts' issues. */
export function validateProductRequest(
  validators: ProductValidators,
  sku: string,
  body: unknown
): { sku: string; input: ProductInput } {
  const issues: ValidationIssue[] = [];
  const route = collectIssues(() => validateSku(validators, sku), issues);
  const input = collectIssues(() => validators.body(body), issues);
  if (route === undefined || input === undefined)
    throw new ValidationError('The product is not valid.', issues);
  return { sku: route, input };
}
