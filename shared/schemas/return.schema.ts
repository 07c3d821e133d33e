import { DISPOSITIONS, type Disposition, type ReturnEventType } from '../domain/returns/order-return';

const idSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^/\\\\?#]+$' } as const;

export interface CreateReturnRequest {
  orderId: string;
  lines: { lineId: string; quantity: number; reason: string }[];
}

/** The body of `POST /api/v1/returns`. */
export const createReturnSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'lines'],
  properties: {
    orderId: idSchema,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'quantity', 'reason'],
        properties: {
          lineId: { type: 'string', minLength: 1, maxLength: 100 },
          quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
          reason: { type: 'string', minLength: 1, maxLength: 500 },
        },
      },
    },
  },
} as const;

export interface ReturnEventRequest {
  id?: string;
  type: ReturnEventType;
  /** `inspected`: each line's disposition (lines not named are restocked). */
  lines?: { lineId: string; disposition: Disposition }[];
  note?: string;
}

/** The body of `POST /api/v1/returns/{returnId}/events`. */
export const returnEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    id: idSchema,
    type: { type: 'string', enum: ['received', 'inspected', 'refunded', 'cancelled'] },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId', 'disposition'],
        properties: {
          lineId: { type: 'string', minLength: 1, maxLength: 100 },
          disposition: { type: 'string', enum: [...DISPOSITIONS] },
        },
      },
    },
    note: { type: 'string', maxLength: 1000 },
  },
} as const;

/** What a provider's refund or return message becomes (a provider transformation's output). */
export interface ProviderReturnOutput {
  /** The provider's order id (our order's `externalId`). */
  orderExternalId: string;
  /** The provider's refund or return id: the return's idempotency key. */
  externalId: string;
  /** Each refunded line: the provider's line id (our order line's id), units, and what happens to them. */
  lines: { lineId: string; quantity: number; disposition: Disposition; reason?: string }[];
  /** The provider refunded already: the return is received, inspected and refunded at once. */
  refunded: boolean;
}

export const providerReturnOutputSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['orderExternalId', 'externalId', 'lines', 'refunded'],
  properties: {
    orderExternalId: { type: 'string', minLength: 1, maxLength: 200 },
    externalId: { type: 'string', minLength: 1, maxLength: 200 },
    lines: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: true,
        required: ['lineId', 'quantity', 'disposition'],
        properties: {
          lineId: { type: 'string', minLength: 1, maxLength: 100 },
          quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
          disposition: { type: 'string', enum: [...DISPOSITIONS] },
          reason: { type: 'string', maxLength: 500 },
        },
      },
    },
    refunded: { type: 'boolean' },
  },
} as const;
