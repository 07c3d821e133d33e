import { idSchema, stepKeySchema } from './email.schema';

/** What createInvoice is given by a journey step. */
export const createInvoiceInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'orderId'],
  properties: {
    key: stepKeySchema,
    orderId: idSchema,
    fulfillmentOrderId: { type: 'string', minLength: 1, maxLength: 200 },
    shipmentId: { type: 'string', minLength: 1, maxLength: 250 },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'quantity'],
        properties: {
          lineId: { type: 'string', minLength: 1, maxLength: 100 },
          quantity: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
  },
} as const;
