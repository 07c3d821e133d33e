import { collectIssues } from '../versioned-resources/collect-issues';
import { ValidationError, type ValidationIssue } from '../../domain/errors';
import type { ProductInput } from '../../domain/products/product';
import type { ProductValidators } from '../../ports/validators';

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
