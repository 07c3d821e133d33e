import type { MeasureConfigurationInput } from '../domain/inventory/measures/measure-config';
import { measureNameSchema } from './inventory.schema';
import { compileValidator, type Validator } from './validator';

/** Custom physical measures and calculated measures one configuration may hold. */
export const maxCustomPhysicalMeasures = 32;
export const maxCalculatedMeasures = 32;
export const maxTermsPerMeasure = 16;

/**
 * `PUT /api/v1/inventory/measures` (docs/inventory.md). Only the shape is checked here; what the
 * names mean (known terms, built-ins, required measures) is checked by storedMeasureConfigurationOf.
 */
export const measureConfigurationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['calculated'],
  properties: {
    physical: {
      type: 'array',
      maxItems: maxCustomPhysicalMeasures + 4, // the 4 built-ins may be sent back as GET shows them
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: measureNameSchema,
          builtIn: { type: 'boolean' },
          writtenBy: { type: 'string', enum: ['source', 'service'] },
        },
      },
    },
    calculated: {
      type: 'array',
      minItems: 1,
      maxItems: maxCalculatedMeasures,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'terms'],
        properties: {
          name: measureNameSchema,
          terms: {
            type: 'array',
            minItems: 1,
            maxItems: maxTermsPerMeasure,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['measure', 'sign'],
              properties: { measure: measureNameSchema, sign: { type: 'integer', enum: [1, -1] } },
            },
          },
          includeSafetyStock: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export function compileMeasureConfigurationValidator(): Validator<MeasureConfigurationInput> {
  return compileValidator<MeasureConfigurationInput>(measureConfigurationSchema, 'measure configuration');
}
