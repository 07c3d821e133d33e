import { addressWithPointSchema } from './address.schema';
import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';
import { configIdSchema } from './source-list.schema';

/** Lines one plan request may hold (a single order; batches go through the journey activity). */
export const maxPlanLines = 500;

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });

/** The body of `POST /api/v1/fulfillment/plan` (docs/api.md) and the journey activity's plan input. */
export const planRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['shipTo', 'lines'],
  properties: {
    strategyId: configIdSchema,
    shipTo: addressWithPointSchema(),
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: maxPlanLines,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'sku', 'quantity'],
        properties: {
          lineId: text(100),
          sku: skuSchema,
          quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
        },
      },
    },
    /** What-if stock: replaces the inventory store for this plan. */
    inventory: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'sourceId', 'quantity'],
        properties: {
          sku: skuSchema,
          sourceId: sourceIdSchema,
          quantity: { type: 'number', minimum: 0, maximum: 1e9 },
        },
      },
    },
  },
} as const;

/** The input of `planFulfillmentActivity`: a stored order by id (or a plan request, validated as above). */
export const planOrderInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId'],
  properties: { orderId: text(100), strategyId: configIdSchema },
} as const;
