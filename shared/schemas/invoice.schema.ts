import { idempotencyKeySchema, idSchema } from './email.schema';

/** What createInvoice is given by a journey step. */
export const createInvoiceInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'orderId'],
  properties: {
    key: idempotencyKeySchema,
    orderId: idSchema,
    fulfillmentOrderId: { type: 'string', minLength: 1, maxLength: 200 },
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
