import { sourceIdSchema } from './source.schema';

/** A source list or strategy id in a route: the same rules as a source id. */
export const configIdSchema = sourceIdSchema;

export const sourceListRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: configIdSchema },
} as const;

/** The body of `PUT /api/v1/source-lists/{id}`; keep in step with SourceListInput. */
export const sourceListInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'sourceIds'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    // Order matters (it is the sorting order), and a source listed twice would say nothing new.
    sourceIds: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: sourceIdSchema },
  },
} as const;
