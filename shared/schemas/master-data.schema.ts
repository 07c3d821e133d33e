import type { MasterDataEntity } from '../domain/master-data/master-data-entities';
import { postalAddressProperties } from './address.schema';
import { currencyCodes } from './order-intake.schema';
import { productInputSchema, skuSchema } from './product.schema';
import { sourceIdSchema, sourceInputSchema } from './source.schema';

/** A master-data key (like a SKU): 1–100 characters, none of `/ \ ? #` or controls, no edge spaces. */
export const masterDataKeySchema = skuSchema;

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const positive = { type: 'number', exclusiveMinimum: 0 };
const currency = { type: 'string', enum: currencyCodes };

/** One item with its key field added to a PUT body's schema, so an item carries its own key. */
function keyed(keyField: string, keySchema: object, body: object): object {
  const schema = body as { required: string[]; properties: Record<string, unknown> };
  return {
    ...schema,
    required: [keyField, ...schema.required],
    properties: { [keyField]: keySchema, ...schema.properties },
  };
}

/** The JSON Schema of one item (a file row once its columns are nested, a bulk item) per entity. */
export function masterDataItemSchema(entity: MasterDataEntity): object {
  switch (entity) {
    case 'products':
      return keyed('sku', skuSchema, productInputSchema());
    case 'sources':
      return keyed('sourceId', sourceIdSchema, sourceInputSchema());
    case 'accounts':
      return {
        type: 'object',
        additionalProperties: false,
        required: ['accountId', 'name'],
        properties: {
          accountId: masterDataKeySchema,
          name: text(200),
          email: { type: 'string', format: 'email', maxLength: 320 },
          phone: text(40),
          currency,
          priceListId: masterDataKeySchema,
          addresses: {
            type: 'array',
            maxItems: 20,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['postalCode', 'country'],
              properties: { purpose: text(40), ...postalAddressProperties },
            },
          },
        },
      };
    case 'price-lists':
      return {
        type: 'object',
        additionalProperties: false,
        required: ['priceListId', 'currency'],
        properties: {
          priceListId: masterDataKeySchema,
          currency,
          name: text(200),
          prices: {
            type: 'array',
            maxItems: 10_000,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['sku', 'unitPrice'],
              properties: {
                sku: skuSchema,
                unitPrice: { type: 'integer', minimum: 0 },
                unit: text(20),
                minQuantity: positive,
              },
            },
          },
        },
      };
    case 'units':
      return {
        type: 'object',
        additionalProperties: false,
        required: ['unitId', 'name'],
        properties: {
          unitId: {
            ...text(20),
            pattern: '^[^\\s/\\\\?#\\p{Cc}](?:[^/\\\\?#\\p{Cc}]*[^\\s/\\\\?#\\p{Cc}])?$',
          },
          name: text(100),
          group: text(40),
          baseUnit: text(20),
          factor: positive,
        },
      };
  }
}

/** Most items one bulk call carries. */
export const maxBulkItems = 1000;

/** The body of `POST /api/v1/master-data/{entity}/bulk`; each item is then checked on its own. */
export const masterDataBulkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', minItems: 1, maxItems: maxBulkItems } },
} as const;
