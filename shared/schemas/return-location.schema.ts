import { addressWithPointSchema } from './address.schema';
import { skuSchema } from './product.schema';
import { configIdSchema } from './source-list.schema';

/** The body of `POST /api/v1/returns/locations`. */
export const returnLocationRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['shipFrom', 'lines'],
  properties: {
    strategyId: configIdSchema,
    shipFrom: addressWithPointSchema(),
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity'],
        properties: {
          lineId: { type: 'string', minLength: 1, maxLength: 100 },
          sku: skuSchema,
          quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
        },
      },
    },
  },
} as const;
