import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';
import { configIdSchema } from './source-list.schema';

/** Lines one plan request may hold (a single order; batches go through the journey activity). */
export const maxPlanLines = 500;

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });

/** An address with optional coordinates; without them the postal code is geocoded offline. */
export function addressWithPointSchema() {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['postalCode', 'country'],
    properties: {
      line1: text(200),
      line2: text(200),
      city: text(100),
      state: text(100),
      postalCode: text(20),
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
      lat: { type: 'number', minimum: -90, maximum: 90 },
      lon: { type: 'number', minimum: -180, maximum: 180 },
    },
    dependencies: { lat: ['lon'], lon: ['lat'] },
  };
}

/** The body of `POST /api/v1/fulfillment/plan` (DESIGN §7) and the journey activity's plan input. */
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
