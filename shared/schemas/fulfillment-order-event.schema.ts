import { fulfillmentOrderEventTypes } from '../domain/fulfillment-orders/apply-fulfillment-order-event';

export interface FulfillmentOrderEventRequest {
  id?: string;
  type: (typeof fulfillmentOrderEventTypes)[number];
  lines?: { lineId: string; orderId?: string; quantity?: number }[];
  tracking?: { carrier: string; number: string; url?: string };
}

/** The body of `POST /api/v1/fulfillment-orders/{foId}/events`: a warehouse status event. */
export const fulfillmentOrderEventSchema = {
  $id: 'fulfillment-order-event',
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^/\\\\?#]+$' },
    type: { type: 'string', enum: [...fulfillmentOrderEventTypes] },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId'],
        properties: {
          lineId: { type: 'string', minLength: 1, maxLength: 100 },
          orderId: { type: 'string', minLength: 1, maxLength: 100 },
          quantity: { type: 'integer', minimum: 1 },
        },
      },
    },
    tracking: {
      type: 'object',
      additionalProperties: false,
      required: ['carrier', 'number'],
      properties: {
        carrier: { type: 'string', minLength: 1, maxLength: 100 },
        number: { type: 'string', minLength: 1, maxLength: 200 },
        url: { type: 'string', minLength: 1, maxLength: 2000 },
      },
    },
  },
};
