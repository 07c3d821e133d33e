import { mappingTypes } from '../domain/providers/value-mappings';
import { idSchema } from './email.schema';

/** Provider configuration bodies (docs/providers.md). */

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

/** The body of `PUT /api/v1/provider-instances/{instanceId}`. */
export const providerInstanceInputSchema = {
  $id: 'provider-instance-input',
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'active'],
  properties: {
    provider: text(100),
    name: text(200),
    active: { type: 'boolean' },
    parameters: {
      type: 'object',
      maxProperties: 50,
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    },
    secrets: {
      type: 'object',
      maxProperties: 20,
      additionalProperties: { anyOf: [{ type: 'string', minLength: 1, maxLength: 4000 }, { type: 'null' }] },
    },
    mappingGroupId: idSchema,
    transformations: { type: 'object', maxProperties: 50, additionalProperties: idSchema },
  },
} as const;

/** The body of `PUT /api/v1/mapping-groups/{id}`. */
export const mappingGroupInputSchema = {
  $id: 'mapping-group-input',
  type: 'object',
  additionalProperties: false,
  required: ['mappings'],
  properties: {
    name: text(200),
    mappings: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'external', 'internal'],
        properties: {
          type: { type: 'string', enum: mappingTypes },
          external: text(200),
          internal: text(200),
        },
      },
    },
  },
} as const;

/** The body of `PUT /api/v1/transformations/{id}`: an expression, or a copy of another one to edit later. */
export const transformationInputSchema = {
  $id: 'transformation-input',
  type: 'object',
  additionalProperties: false,
  required: ['messageType'],
  properties: {
    messageType: text(100),
    provider: text(100),
    description: text(1000),
    expression: text(100_000),
    copyOf: {
      type: 'object',
      additionalProperties: false,
      properties: {
        provider: text(100),
        messageType: text(100),
        transformationId: idSchema,
        version: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

/** The body of `POST /api/v1/transformations/preview`. */
export const transformationPreviewSchema = {
  $id: 'transformation-preview',
  type: 'object',
  additionalProperties: false,
  required: ['messageType', 'sample'],
  properties: {
    provider: text(100),
    transformation: text(100_000),
    messageType: text(100),
    sample: {},
    mappingGroupId: idSchema,
    instanceId: idSchema,
  },
} as const;

/** Route ids (`{instanceId}`, `{id}`), checked as `{id}` so issues name `/id`. */
export const providerRouteSchema = {
  $id: 'provider-route',
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: idSchema },
} as const;
