/**
 * The `actions` parameter of a generic HTTP provider instance (JSON text): per action name, how it
 * is done over HTTP. Keep in step with HttpActionSpec (shared/providers/generic-http/http-actions.ts).
 */
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const expression = text(100_000);

export const httpActionsSchema = {
  $id: 'http-actions',
  type: 'object',
  maxProperties: 50,
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    required: ['method', 'path', 'response'],
    properties: {
      method: { type: 'string', enum: ['GET', 'POST', 'PUT'] },
      path: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^/' },
      when: expression,
      skippedDetail: text(500),
      request: expression,
      idempotencyHeader: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9-]+$' },
      response: expression,
    },
  },
} as const;
