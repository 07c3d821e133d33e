import { CONFIG_BUNDLE_FORMAT, CONFIG_BUNDLE_VERSION } from '../domain/configuration/config-bundle';

/** The body of `POST /api/v1/config/import`: a bundle as `GET /api/v1/config/export` answers it. */
export const configBundleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'items'],
  properties: {
    format: { const: CONFIG_BUNDLE_FORMAT },
    version: { const: CONFIG_BUNDLE_VERSION },
    items: {
      type: 'array',
      maxItems: 20000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'id', 'content'],
        properties: {
          kind: { type: 'string', minLength: 1, maxLength: 100 },
          id: { type: 'string', minLength: 1, maxLength: 200 },
          content: { type: 'object' },
          published: { type: 'boolean' },
        },
      },
    },
  },
} as const;
