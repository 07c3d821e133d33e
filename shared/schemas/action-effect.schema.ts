/** Keep in step with ActionEffect (shared/ports/provider-plugins.ts). */
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const minorUnits = { type: 'integer' } as const;

const effectSchemas = [
  {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'documentCode', 'lines', 'totalTax'],
    properties: {
      type: { const: 'orderLineTax' },
      documentCode: text(200),
      lines: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['lineId', 'tax'],
          properties: { lineId: text(100), tax: minorUnits },
        },
      },
      totalTax: minorUnits,
    },
  },
  {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'carrier', 'trackingNumber', 'raiseShipped'],
    properties: {
      type: { const: 'shipment' },
      carrier: text(100),
      trackingNumber: text(200),
      url: text(2000),
      labelUrl: text(2000),
      raiseShipped: { type: 'boolean' },
    },
  },
  {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'system', 'id'],
    properties: { type: { const: 'externalReference' }, system: text(100), id: text(200) },
  },
  {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'name', 'data'],
    properties: { type: { const: 'record' }, name: text(100), data: { type: 'object' } },
  },
] as const;

const effectTypes = effectSchemas.map((schema) => schema.properties.type.const);

/**
 * What a provider action's answer changes on our side, as a user's transformation must produce it:
 * an array of effects, each checked against the schema of its `type` so an error names the field
 * that is wrong (`/0/trackingNumber`), not every branch of a oneOf.
 */
export const actionEffectsSchema = {
  $id: 'action-effects',
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', enum: effectTypes } },
    allOf: effectSchemas.map((schema) => ({
      if: { type: 'object', properties: { type: { const: schema.properties.type.const } } },
      then: schema,
    })),
  },
} as const;
