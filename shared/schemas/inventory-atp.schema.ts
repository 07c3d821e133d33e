import { maxAtpDays } from '../domain/inventory/atp/atp';
import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';

/** Most SKUs one ATP request may ask about (each is one partition read of rows and schedules). */
export const maxAtpSkus = 100;

export interface AtpRequest {
  skus: string[];
  sourceIds?: string[];
  days?: number;
}

/** The body of `POST /api/v1/inventory/atp` (docs/api.md). */
export const atpRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['skus'],
  properties: {
    skus: { type: 'array', minItems: 1, maxItems: maxAtpSkus, uniqueItems: true, items: skuSchema },
    sourceIds: { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: sourceIdSchema },
    days: { type: 'integer', minimum: 1, maximum: maxAtpDays },
  },
} as const;
