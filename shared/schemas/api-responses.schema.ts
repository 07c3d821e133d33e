/**
 * JSON Schemas of the answers the OpenAPI description declares (shared/http/openapi.ts). They name the
 * fields docs/api.md promises and leave the rest open (`additionalProperties` allowed), so a field
 * added later does not break a client that validates against them.
 */

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;

/** RFC 9457 problem details as every error answer carries them (shared/http/problem.ts). */
export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: text,
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: text,
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: text, message: text },
      },
    },
  },
} as const;

/** A page of a list route: `{items, continuationToken?}`. */
export const pageSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object' } }, continuationToken: text },
} as const;

/** The answer of `POST /api/v1/orders`. */
export const orderAcceptedSchema = {
  type: 'object',
  required: ['orderId', 'duplicate', 'statusUrl'],
  properties: { orderId: text, duplicate: { type: 'boolean' }, statusUrl: text },
} as const;

const journeyStatus = ['running', 'waiting', 'paused', 'failed', 'completed', 'cancelled'] as const;

/** An order as `GET /api/v1/orders/{orderId}` shows it (shared/http/order-view.ts). */
export const orderSchema = {
  type: 'object',
  required: [
    'orderId',
    'externalId',
    'currency',
    'state',
    'stateReason',
    'lines',
    'fulfillmentOrders',
    'journey',
  ],
  properties: {
    orderId: text,
    externalId: text,
    channel: text,
    currency: text,
    state: text,
    stateReason: nullableText,
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['lineId', 'sku', 'quantity', 'state', 'stateReason'],
        properties: {
          lineId: text,
          sku: text,
          quantity: { type: 'number' },
          state: text,
          stateReason: nullableText,
        },
      },
    },
    fulfillmentOrders: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'sourceId', 'state', 'lines'],
        properties: {
          id: text,
          sourceId: text,
          state: text,
          lines: { type: 'array', items: { type: 'object' } },
        },
      },
    },
    journey: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['id', 'version', 'status'],
          properties: { id: text, version: { type: 'integer' }, status: { enum: journeyStatus } },
        },
      ],
    },
    /** The trace of its intake, journey steps and provider calls: `GET /api/v1/traces/{traceId}`. */
    traceId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  },
} as const;

/** A fulfillment order (shared/http/fulfillment-order-view.ts). */
export const fulfillmentOrderSchema = {
  type: 'object',
  required: ['id', 'sourceId', 'state', 'orderIds', 'lines', 'shipments'],
  properties: {
    id: text,
    sourceId: text,
    state: text,
    stateReason: nullableText,
    orderIds: { type: 'array', items: text },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['orderId', 'lineId', 'sku', 'quantity', 'state'],
        properties: { orderId: text, lineId: text, sku: text, quantity: { type: 'number' }, state: text },
      },
    },
    shipments: {
      type: 'array',
      items: {
        type: 'object',
        required: ['carrier', 'trackingNumber', 'lines'],
        properties: { carrier: text, trackingNumber: text, url: text, lines: { type: 'array' } },
      },
    },
  },
} as const;

/** `GET /api/health` when it is healthy. */
export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { const: 'ok' } },
} as const;

/** `GET /api/v1/traces/{traceId}`: the trace's spans as recorded locally (docs/telemetry.md). */
export const traceSchema = {
  type: 'object',
  required: ['traceId', 'spans'],
  properties: {
    traceId: text,
    spans: {
      type: 'array',
      items: {
        type: 'object',
        required: ['traceId', 'spanId', 'name', 'kind', 'start', 'end', 'durationMs', 'status', 'attributes'],
        properties: {
          traceId: text,
          spanId: text,
          parentSpanId: text,
          name: text,
          kind: { enum: ['internal', 'server', 'client', 'producer', 'consumer'] },
          start: { type: 'string', format: 'date-time' },
          end: { type: 'string', format: 'date-time' },
          durationMs: { type: 'number' },
          status: {
            type: 'object',
            required: ['code'],
            properties: { code: { enum: ['unset', 'ok', 'error'] }, message: text },
          },
          attributes: { type: 'object' },
        },
      },
    },
  },
} as const;
