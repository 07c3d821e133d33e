import {
  booleanConstraintTypes,
  constraintTypes,
  fulfillmentObjectives,
  integerConstraintTypes,
  numberConstraintTypes,
} from '../domain/fulfillment/strategy';
import { configIdSchema } from './source-list.schema';

export const strategyRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: configIdSchema },
} as const;

/** `value` must have the type its constraint type says (docs/api.md). */
function valueFor(types: readonly string[], value: object): object {
  return {
    if: { properties: { type: { enum: types } } },
    then: { properties: { value } },
  };
}

/** The body of `PUT /api/v1/fulfillment/strategies/{id}` (docs/api.md); keep in step with StrategyInput. */
export const strategyInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['isDefault', 'objective', 'constraints'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    isDefault: { type: 'boolean' },
    alternateStrategyId: configIdSchema,
    sourceListId: configIdSchema,
    objective: { type: 'string', enum: fulfillmentObjectives },
    useRealInventory: { type: 'boolean' },
    batchIntervalSeconds: { type: 'integer', minimum: 0, maximum: 86_400 },
    mergeWindowSeconds: { type: 'integer', minimum: 0, maximum: 86_400 },
    simulation: { type: 'boolean' },
    roadFactor: { type: 'number', minimum: 1, maximum: 5 },
    constraints: {
      type: 'array',
      maxItems: constraintTypes.length,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'value', 'hard'],
        properties: {
          type: { type: 'string', enum: constraintTypes },
          // Typed by the allOf below, per constraint type.
          value: {},
          hard: { type: 'boolean' },
        },
        allOf: [
          valueFor(numberConstraintTypes, { type: 'number', minimum: 0 }),
          valueFor(integerConstraintTypes, { type: 'integer', minimum: 0 }),
          valueFor(booleanConstraintTypes, { type: 'boolean' }),
        ],
      },
    },
  },
} as const;
