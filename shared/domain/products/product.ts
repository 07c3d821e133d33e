import { ValidationError, type ValidationIssue } from '../errors';

export const weightUnits = ['kg', 'g', 'lb', 'oz'] as const;
export const lengthUnits = ['cm', 'm', 'in'] as const;

export type WeightUnit = (typeof weightUnits)[number];
export type LengthUnit = (typeof lengthUnits)[number];

/** One unit of a product in base units: `{unit: 'box', factor: 12}` is a box of 12 `unit`s. */
export interface UnitConversion {
  unit: string;
  factor: number;
}

/** What a client sends to create or replace a product (`PUT /api/v1/products/{sku}`, docs/api.md). */
export interface ProductInput {
  name: string;
  description?: string;
  category?: string;
  /** The unit quantities of this product are counted in (its base unit), e.g. `each` or `kg`. */
  unit?: string;
  /** Other units it is sold or stocked in, each as how many base units one of it holds (a box of 12). */
  units?: UnitConversion[];
  weight?: { value: number; unit: WeightUnit };
  dimensions?: { length: number; width: number; height: number; unit: LengthUnit };
  /** Preorder-eligible products are held until `launchDate` (an ISO date); `eligible` defaults to true. */
  preorder?: { eligible?: boolean; launchDate: string };
  allowsAllocation?: boolean;
  /** SKUs that may ship instead of this one, in order of preference. */
  substitutes?: string[];
}

/** A product as stored and shown: the input with defaults applied, its SKU and its timestamps. */
export interface Product extends Omit<ProductInput, 'preorder'> {
  sku: string;
  preorder?: { eligible: boolean; launchDate: string };
  createdAt: string;
  updatedAt: string;
}

/**
 * The product `input` describes under `sku`, replacing `existing` if there is one (its createdAt is
 * kept). Throws a ValidationError listing every rule the input breaks; the input is assumed to have
 * passed the product schema already.
 */
export function productFromInput(
  sku: string,
  input: ProductInput,
  existing: Product | undefined,
  now: Date
): Product {
  const issues: ValidationIssue[] = [];
  (input.substitutes ?? []).forEach((substitute, index) => {
    if (substitute === sku) issues.push({ path: `/substitutes/${index}`, message: 'is the product itself' });
  });
  const seenUnits = new Set<string>();
  (input.units ?? []).forEach((conversion, index) => {
    if (conversion.unit === input.unit) {
      issues.push({ path: `/units/${index}/unit`, message: 'is the base unit itself' });
    } else if (seenUnits.has(conversion.unit)) {
      issues.push({ path: `/units/${index}/unit`, message: 'is named more than once' });
    }
    seenUnits.add(conversion.unit);
  });
  if (issues.length > 0) throw new ValidationError('The product is not valid.', issues);

  const at = now.toISOString();
  // Built field by field, so nothing the schema did not name is stored and no input object is shared.
  return {
    sku,
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.category === undefined ? {} : { category: input.category }),
    ...(input.unit === undefined ? {} : { unit: input.unit }),
    ...(input.units === undefined
      ? {}
      : { units: input.units.map(({ unit, factor }) => ({ unit, factor })) }),
    ...(input.weight === undefined ? {} : { weight: { value: input.weight.value, unit: input.weight.unit } }),
    ...(input.dimensions === undefined
      ? {}
      : {
          dimensions: {
            length: input.dimensions.length,
            width: input.dimensions.width,
            height: input.dimensions.height,
            unit: input.dimensions.unit,
          },
        }),
    ...(input.preorder === undefined
      ? {}
      : {
          preorder: { eligible: input.preorder.eligible ?? true, launchDate: input.preorder.launchDate },
        }),
    ...(input.allowsAllocation === undefined ? {} : { allowsAllocation: input.allowsAllocation }),
    ...(input.substitutes === undefined ? {} : { substitutes: [...input.substitutes] }),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}
