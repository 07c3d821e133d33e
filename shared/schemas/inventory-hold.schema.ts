import { holdStates } from '../domain/inventory/holds/holds';
import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';

export interface HoldCheckRequest {
  orderId: string;
  lineIds?: string[];
  sourceId?: string;
}

/** The body of `POST /api/v1/inventory/holds/check`: reserve an order's lines or put them on hold. */
export const holdCheckRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId'],
  properties: {
    orderId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^/\\\\?#]+$' },
    lineIds: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 50 },
    },
    sourceId: sourceIdSchema,
  },
} as const;

export interface HoldListQuery {
  state?: string;
  sku?: string;
  continuationToken?: string;
  top?: number;
}

/** The query of `GET /api/v1/inventory/holds` (`top` arrives as text and is converted first). */
export const holdListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: [...holdStates] },
    sku: skuSchema,
    continuationToken: { type: 'string', minLength: 1, maxLength: 4000 },
    top: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;
