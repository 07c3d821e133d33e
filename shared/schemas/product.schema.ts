import { lengthUnits, weightUnits } from '../domain/products/product';

/**
 * A SKU as it appears in a route or a substitutes list: 1–100 characters, none of `/ \ ? #` (which
 * Cosmos does not allow in ids and which would break the route), no control characters, and no
 * leading or trailing white space (so `A` and `A ` are never two products).
 */
export const skuSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\s/\\\\?#\\p{Cc}](?:[^/\\\\?#\\p{Cc}]*[^\\s/\\\\?#\\p{Cc}])?$',
} as const;

/** The route parameters of `/api/v1/products/{sku}`, checked as `{sku}` so issues name `/sku`. */
export const productRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sku'],
  properties: { sku: skuSchema },
} as const;

/** The body of `PUT /api/v1/products/{sku}` (docs/api.md). */
export function productInputSchema(): object {
  // Keep in step with ProductInput (shared/domain/products/product.ts).
  const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
  const positive = { type: 'number', exclusiveMinimum: 0 };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: text(200),
      description: text(2000),
      category: text(100),
      unit: text(20),
      units: {
        type: 'array',
        maxItems: 20,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['unit', 'factor'],
          properties: { unit: text(20), factor: positive },
        },
      },
      weight: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'unit'],
        properties: { value: positive, unit: { type: 'string', enum: weightUnits } },
      },
      dimensions: {
        type: 'object',
        additionalProperties: false,
        required: ['length', 'width', 'height', 'unit'],
        properties: {
          length: positive,
          width: positive,
          height: positive,
          unit: { type: 'string', enum: lengthUnits },
        },
      },
      preorder: {
        type: 'object',
        additionalProperties: false,
        required: ['launchDate'],
        properties: {
          eligible: { type: 'boolean' },
          launchDate: { type: 'string', format: 'date' },
        },
      },
      allowsAllocation: { type: 'boolean' },
      substitutes: { type: 'array', maxItems: 50, uniqueItems: true, items: skuSchema },
    },
  };
}
