import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';

/** An id chosen by the client (e.g. `PO-1001-3`): like a SKU, no `/ \ ? #`, no edge spaces. */
export const scheduleIdSchema = skuSchema;

export const scheduleRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: scheduleIdSchema },
} as const;

/** The body of `PUT /api/v1/inventory/schedules/{id}`; keep in step with InventoryScheduleInput. */
export const scheduleInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'sourceId', 'kind', 'quantity', 'date'],
  properties: {
    sku: skuSchema,
    sourceId: sourceIdSchema,
    kind: { type: 'string', enum: ['supply', 'demand'] },
    quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1e12 },
    date: { type: 'string', format: 'date' },
    reference: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

/** The query of `GET /api/v1/inventory/schedules`: one SKU's entries, optionally one source and a date range. */
export const scheduleListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sku'],
  properties: {
    sku: skuSchema,
    sourceId: sourceIdSchema,
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
  },
} as const;

export interface ScheduleListQuery {
  sku: string;
  sourceId?: string;
  from?: string;
  to?: string;
}
