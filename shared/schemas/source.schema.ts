import { pointProperties, postalAddressSchema } from './address.schema';
import { sourceTypes } from '../domain/fulfillment/source';

/** A source id as it appears in a route: like a SKU, 1–100 characters with none of `/ \ ? #` or controls. */
export const sourceIdSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\s/\\\\?#\\p{Cc}](?:[^/\\\\?#\\p{Cc}]*[^\\s/\\\\?#\\p{Cc}])?$',
} as const;

export const sourceRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceId'],
  properties: { sourceId: sourceIdSchema },
} as const;

/** IANA zone names the runtime knows, so a misspelt zone is a validation error, not a UTC surprise. */
const timeZones: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

/** The body of `PUT /api/v1/sources/{sourceId}` (docs/api.md); keep in step with SourceInput. */
export function sourceInputSchema(): object {
  const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
  const nonNegative = { type: 'number', minimum: 0 };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'type', 'address', 'online'],
    properties: {
      name: text(200),
      type: { type: 'string', enum: sourceTypes },
      address: postalAddressSchema(),
      location: {
        type: 'object',
        additionalProperties: false,
        required: ['lat', 'lon'],
        properties: pointProperties,
      },
      online: { type: 'boolean' },
      timeZone: { type: 'string', enum: timeZones },
      safetyStock: nonNegative,
      cutoffTime: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
      calendar: {
        type: 'object',
        additionalProperties: false,
        properties: {
          workingDays: {
            type: 'array',
            maxItems: 7,
            uniqueItems: true,
            items: { type: 'integer', minimum: 1, maximum: 7 },
          },
          holidays: { type: 'array', maxItems: 366, items: { type: 'string', format: 'date' } },
        },
      },
      maxOrderLinesPerDay: { type: 'integer', minimum: 0 },
      priority: { type: 'integer', minimum: 1, maximum: 1000 },
      costs: {
        type: 'object',
        additionalProperties: false,
        properties: { perShipment: nonNegative, perUnit: nonNegative, perKm: nonNegative },
      },
      acceptsReturns: { type: 'boolean' },
    },
  };
}
