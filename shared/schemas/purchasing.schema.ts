import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';

/*
 * Bodies of the purchase and transfer order routes (docs/purchasing.md); keep in step with the
 * inputs in shared/domain/purchasing/supply-order.ts. Order ids (64) and line ids (24) are short
 * enough that the schedule entry ids derived from them (`to:{id}:{lineId}:out`) stay ids the
 * schedule routes accept (100).
 */

const keyPattern = skuSchema.pattern;

export const supplyOrderIdSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: keyPattern,
} as const;
const lineIdSchema = { type: 'string', minLength: 1, maxLength: 24, pattern: keyPattern } as const;
const quantitySchema = { type: 'number', exclusiveMinimum: 0, maximum: 1e12 } as const;
const dateSchema = { type: 'string', format: 'date' } as const;

export const supplyOrderRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: supplyOrderIdSchema },
} as const;

export const purchaseOrderInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceId', 'expectedDate', 'lines'],
  properties: {
    supplier: { type: 'string', minLength: 1, maxLength: 200 },
    sourceId: sourceIdSchema,
    expectedDate: dateSchema,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'sku', 'quantity'],
        properties: {
          lineId: lineIdSchema,
          sku: skuSchema,
          quantity: quantitySchema,
          expectedDate: dateSchema,
        },
      },
    },
  },
} as const;

export const transferOrderInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fromSourceId', 'toSourceId', 'shipDate', 'expectedDate', 'lines'],
  properties: {
    fromSourceId: sourceIdSchema,
    toSourceId: sourceIdSchema,
    shipDate: dateSchema,
    expectedDate: dateSchema,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'sku', 'quantity'],
        properties: { lineId: lineIdSchema, sku: skuSchema, quantity: quantitySchema },
      },
    },
  },
} as const;

export const supplyReceiptInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'lines'],
  properties: {
    id: supplyOrderIdSchema,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'quantity'],
        properties: { lineId: lineIdSchema, quantity: quantitySchema },
      },
    },
  },
} as const;

export const supplyOrderStates = ['open', 'partially received', 'received', 'cancelled'] as const;

export interface SupplyOrderListQuery {
  state?: (typeof supplyOrderStates)[number];
  sourceId?: string;
  continuationToken?: string;
  top?: number;
}

/** `GET /api/v1/purchase-orders?state=&sourceId=&top=&continuationToken=` (and transfer orders). */
export const supplyOrderListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: [...supplyOrderStates] },
    sourceId: sourceIdSchema,
    continuationToken: { type: 'string', minLength: 1, maxLength: 4000 },
    top: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;
