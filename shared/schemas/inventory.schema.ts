import type {
  AllocateInput,
  AllocationQueryInput,
  ChangeEventInput,
  ConsumeInput,
  InventoryChangeInput,
  InventoryQueryInput,
  InventoryValidators,
  ReallocateInput,
  ReserveInput,
  SetEntryInput,
  UnreserveInput,
} from '../ports/inventory-requests';
import { skuSchema } from './product.schema';
import { sourceIdSchema } from './source.schema';
import { compileValidator } from './validator';

/**
 * JSON Schemas of the inventory API (docs/api.md, docs/inventory.md). Which measure names exist is
 * configuration, so schemas only check their shape; the app checks them against the definitions.
 */

/** Most change events (or set entries) in one call, as IOM's bulk API. */
export const maxChangesPerCall = 512;
/** Most SKUs, and most sources, one query may name. */
export const maxSkusPerQuery = 1000;
export const maxSourcesPerQuery = 1000;

/** An idempotency id (change event, reservation, allocation operation): like a SKU. */
export const inventoryIdSchema = skuSchema;

export const measureNameSchema = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{0,39}$' } as const;

/** Quantities are numbers in the product's unit; decimals are kept to 6 places. */
const positiveQuantity = { type: 'number', exclusiveMinimum: 0, maximum: 1e12 } as const;
const nonNegativeQuantity = { type: 'number', minimum: 0, maximum: 1e12 } as const;
const signedQuantity = { type: 'number', minimum: -1e12, maximum: 1e12 } as const;

const label = { type: 'string', minLength: 1, maxLength: 64, pattern: '^\\S(?:.*\\S)?$' } as const;

export const dimensionsSchema = {
  type: 'object',
  maxProperties: 8,
  propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9]{0,31}$' },
  additionalProperties: label,
} as const;

export const allocationGroupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['channel'],
  properties: { channel: label, customerGroup: label },
} as const;

function object(required: string[], properties: Record<string, unknown>) {
  return { type: 'object', additionalProperties: false, required, properties };
}

const rowFields = { sku: skuSchema, sourceId: sourceIdSchema, dimensions: dimensionsSchema };

/** One change event: a delta of one physical measure, idempotent by id. */
export const changeEventSchema = object(['id', 'sku', 'sourceId', 'measure', 'quantity'], {
  id: inventoryIdSchema,
  ...rowFields,
  measure: measureNameSchema,
  quantity: signedQuantity,
});

/** One change as applyInventoryChanges takes it: a change event, or an absolute value with `mode: "set"`. */
export const inventoryChangeSchema = object(['id', 'sku', 'sourceId', 'measure', 'quantity'], {
  id: inventoryIdSchema,
  ...rowFields,
  measure: measureNameSchema,
  quantity: signedQuantity,
  mode: { type: 'string', enum: ['delta', 'set'] },
});

/** `POST /api/v1/inventory/onhand/bulk`. */
export const changeEventsSchema = {
  type: 'array',
  minItems: 1,
  maxItems: maxChangesPerCall,
  items: changeEventSchema,
};

/** `POST /api/v1/inventory/onhand/set`: absolute values (an `id` is optional and makes the entry idempotent). */
export const setEntriesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: maxChangesPerCall,
  items: object(['sku', 'sourceId', 'measure', 'quantity'], {
    id: inventoryIdSchema,
    ...rowFields,
    measure: measureNameSchema,
    quantity: nonNegativeQuantity,
  }),
};

const skuList = {
  type: 'array',
  minItems: 1,
  maxItems: maxSkusPerQuery,
  uniqueItems: true,
  items: skuSchema,
};
const sourceList = {
  type: 'array',
  minItems: 1,
  maxItems: maxSourcesPerQuery,
  uniqueItems: true,
  items: sourceIdSchema,
};

/** `POST /api/v1/inventory/query`. */
export const inventoryQuerySchema = object(['skus'], {
  skus: skuList,
  sourceIds: sourceList,
  groupBy: { type: 'string', enum: ['source', 'none', 'row'] },
  dimensions: dimensionsSchema,
});

/** `POST /api/v1/inventory/reserve`. */
export const reserveSchema = object(['id', 'sku', 'sourceId', 'quantity'], {
  id: inventoryIdSchema,
  ...rowFields,
  quantity: positiveQuantity,
});

/** `POST /api/v1/inventory/unreserve`. */
export const unreserveSchema = object(['reservationId'], {
  reservationId: inventoryIdSchema,
  sku: skuSchema,
  quantity: positiveQuantity,
  id: inventoryIdSchema,
});

/** `POST /api/v1/inventory/allocation/{allocate,unallocate}`. */
export const allocateSchema = object(['id', 'sku', 'sourceId', 'group', 'quantity'], {
  id: inventoryIdSchema,
  ...rowFields,
  group: allocationGroupSchema,
  quantity: positiveQuantity,
});

/** `POST /api/v1/inventory/allocation/reallocate`. */
export const reallocateSchema = object(['id', 'sku', 'sourceId', 'from', 'to', 'quantity'], {
  id: inventoryIdSchema,
  ...rowFields,
  from: allocationGroupSchema,
  to: allocationGroupSchema,
  quantity: positiveQuantity,
});

/** `POST /api/v1/inventory/allocation/consume`; with `reserve: true` the units become reservation `id`. */
export const consumeSchema = object(['id', 'sku', 'sourceId', 'group', 'quantity'], {
  id: inventoryIdSchema,
  ...rowFields,
  group: allocationGroupSchema,
  quantity: positiveQuantity,
  reserve: { type: 'boolean' },
});

/** `POST /api/v1/inventory/allocation/query`. */
export const allocationQuerySchema = object(['skus'], {
  skus: skuList,
  sourceIds: sourceList,
  channel: label,
});

/** Every inventory validator, compiled (call once: the inventory wiring memoizes the result). */
export function compileInventoryValidators(): InventoryValidators {
  return {
    change: compileValidator<InventoryChangeInput>(inventoryChangeSchema, 'inventory change'),
    changeEvents: compileValidator<ChangeEventInput[]>(changeEventsSchema, 'list of change events'),
    setEntries: compileValidator<SetEntryInput[]>(setEntriesSchema, 'list of entries'),
    query: compileValidator<InventoryQueryInput>(inventoryQuerySchema, 'inventory query'),
    reserve: compileValidator<ReserveInput>(reserveSchema, 'reservation'),
    unreserve: compileValidator<UnreserveInput>(unreserveSchema, 'unreservation'),
    allocate: compileValidator<AllocateInput>(allocateSchema, 'allocation'),
    reallocate: compileValidator<ReallocateInput>(reallocateSchema, 'reallocation'),
    unallocate: compileValidator<AllocateInput>(allocateSchema, 'unallocation'),
    consume: compileValidator<ConsumeInput>(consumeSchema, 'consumption'),
    allocationQuery: compileValidator<AllocationQueryInput>(allocationQuerySchema, 'allocation query'),
  };
}
