import { ValidationError } from '../errors';

/**
 * A unit of measure (`unit:{unitId}` in the catalog): `{unitId: 'box12', name: 'Box of 12',
 * baseUnit: 'each', factor: 12}` is 12 of `each`; a base unit names neither.
 */
export interface UnitInput {
  unitId: string;
  name: string;
  /** A group of units converting into one another, e.g. `quantity`, `weight`, `length`. */
  group?: string;
  baseUnit?: string;
  /** How many base units one of this unit is; given together with baseUnit. */
  factor?: number;
}

export interface UnitOfMeasure extends UnitInput {
  createdAt: string;
  updatedAt: string;
}

export function unitFromInput(
  input: UnitInput,
  existing: UnitOfMeasure | undefined,
  now: Date
): UnitOfMeasure {
  const issues = [];
  if ((input.baseUnit === undefined) !== (input.factor === undefined)) {
    issues.push({
      path: input.baseUnit === undefined ? '/baseUnit' : '/factor',
      message: 'is required when baseUnit or factor is given (they go together)',
    });
  }
  if (input.baseUnit === input.unitId) issues.push({ path: '/baseUnit', message: 'is the unit itself' });
  if (issues.length > 0) throw new ValidationError('The unit is not valid.', issues);
  const at = now.toISOString();
  return {
    unitId: input.unitId,
    name: input.name,
    ...(input.group === undefined ? {} : { group: input.group }),
    ...(input.baseUnit === undefined ? {} : { baseUnit: input.baseUnit, factor: input.factor! }),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}
