/**
 * An id that is also part of a Cosmos id and a route: 1–100 letters, digits, `.`, `_`, `:` or `-`,
 * starting with a letter or digit (email template ids, idempotency keys, order ids).
 */
export const idSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' } as const;

/**
 * An idempotency key a journey step derives from its run (`runKey`: base64url, so it may begin with
 * `-` or `_`): part of a Cosmos id, never of a route.
 */
export const stepKeySchema = { type: 'string', pattern: '^[A-Za-z0-9_-][A-Za-z0-9._:-]{0,99}$' } as const;

/** The route parameter of `/api/v1/email-templates/{id}`, checked as `{id}` so issues name `/id`. */
export const emailTemplateRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: idSchema },
} as const;

/** The body of `PUT /api/v1/email-templates/{id}` (docs/email-and-invoices.md). */
export const emailTemplateInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'text'],
  properties: {
    subject: { type: 'string', minLength: 1, maxLength: 1000 },
    text: { type: 'string', minLength: 1, maxLength: 100_000 },
    html: { type: 'string', minLength: 1, maxLength: 500_000 },
  },
} as const;

/** What queueEmail is given by a journey step. */
export const queueEmailInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'orderId', 'templateId', 'model'],
  properties: {
    key: stepKeySchema,
    orderId: idSchema,
    templateId: idSchema,
    to: { type: 'string', format: 'email', maxLength: 320 },
    model: { type: 'object' },
  },
} as const;

/** The query of `GET /api/v1/outbox?orderId=`. */
export const outboxQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId'],
  properties: { orderId: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

/** A message of the `email-delivery` queue: where the outbox message to send is. */
export const emailDeliveryRefSchema = {
  type: 'object',
  required: ['orderId', 'id'],
  properties: {
    orderId: { type: 'string', minLength: 1, maxLength: 200 },
    id: { type: 'string', minLength: 1, maxLength: 300 },
  },
} as const;
