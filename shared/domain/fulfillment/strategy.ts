import { ValidationError, type ValidationIssue } from '../errors';

/** What a plan minimizes: kilometres shipped, or money (per shipment + per unit + per km). */
export const fulfillmentObjectives = ['distance', 'cost'] as const;
export type FulfillmentObjective = (typeof fulfillmentObjectives)[number];

/** Constraint types of the strategy API (docs/api.md), by the type of their `value`. */
export const numberConstraintTypes = ['maxDistanceKm'] as const;
export const integerConstraintTypes = ['maxSourcesPerOrder', 'maxSourcesPerLine', 'maxLinesPerDay'] as const;
export const booleanConstraintTypes = [
  'allowPartialOrder',
  'allowPartialLine',
  'respectCutoff',
  'useSafetyStock',
  'usePriority',
] as const;
export const constraintTypes = [
  ...numberConstraintTypes,
  ...integerConstraintTypes,
  ...booleanConstraintTypes,
] as const;
export type ConstraintType = (typeof constraintTypes)[number];

/** One strategy constraint: hard ones hold in both passes, soft ones are dropped in pass 2. */
export interface StrategyConstraint {
  type: ConstraintType;
  value: number | boolean;
  hard: boolean;
}

/** What a client sends to `PUT /api/v1/fulfillment/strategies/{id}`. */
export interface StrategyInput {
  name?: string;
  isDefault: boolean;
  /** Planned again with this strategy: lines the strategy leaves not sourced. */
  alternateStrategyId?: string;
  /** Only these sources, in this order (Saleor's "sorting order"); absent: every source. */
  sourceListId?: string;
  objective: FulfillmentObjective;
  /** false: the plan needs explicit inventory rows (what-if planning without the inventory store). */
  useRealInventory?: boolean;
  /** How long journeys collect orders before planning them as one batch; default 120 s (IOM's 2 min). */
  batchIntervalSeconds?: number;
  mergeWindowSeconds?: number;
  /** Plans are computed and returned but flagged `simulation` (nothing downstream acts on them). */
  simulation?: boolean;
  /** Straight-line distance × this factor approximates road distance; default 1. */
  roadFactor?: number;
  constraints: StrategyConstraint[];
}

/** A strategy as stored (`config` container, kind `fulfillment-strategy`). */
export interface FulfillmentStrategy {
  id: string;
  name: string;
  isDefault: boolean;
  alternateStrategyId?: string;
  sourceListId?: string;
  objective: FulfillmentObjective;
  useRealInventory: boolean;
  batchIntervalSeconds: number;
  /**
   * How long a new fulfillment order waits for more orders of the same customer, ship-to and source
   * to join it before it goes to its provider (0: it goes at once and never merges).
   */
  mergeWindowSeconds: number;
  simulation: boolean;
  roadFactor: number;
  constraints: StrategyConstraint[];
  createdAt: string;
  updatedAt: string;
}

export const defaultBatchIntervalSeconds = 120;

/** Used when no strategy is stored at all: nearest sources, no constraints, real inventory. */
export const builtInStrategy: FulfillmentStrategy = {
  id: 'built-in',
  name: 'Built-in: minimize distance, no constraints',
  isDefault: true,
  objective: 'distance',
  useRealInventory: true,
  batchIntervalSeconds: defaultBatchIntervalSeconds,
  mergeWindowSeconds: 0,
  simulation: false,
  roadFactor: 1,
  constraints: [],
  createdAt: '1970-01-01T00:00:00.000Z',
  updatedAt: '1970-01-01T00:00:00.000Z',
};

/**
 * The strategy `input` describes under `id` (createdAt kept from `existing`). Throws a ValidationError
 * for rules the schema cannot say: one constraint per type, no strategy as its own alternate.
 */
export function strategyFromInput(
  id: string,
  input: StrategyInput,
  existing: FulfillmentStrategy | undefined,
  now: Date
): FulfillmentStrategy {
  const issues: ValidationIssue[] = [];
  const seen = new Map<ConstraintType, number>();
  input.constraints.forEach((constraint, index) => {
    const first = seen.get(constraint.type);
    if (first !== undefined) {
      issues.push({
        path: `/constraints/${index}/type`,
        message: `${constraint.type} is already given at /constraints/${first}`,
      });
    } else seen.set(constraint.type, index);
  });
  if (input.alternateStrategyId === id) {
    issues.push({ path: '/alternateStrategyId', message: 'a strategy cannot be its own alternate' });
  }
  if (issues.length > 0) throw new ValidationError('The strategy is not valid.', issues);
  const at = now.toISOString();
  return {
    id,
    name: input.name ?? id,
    isDefault: input.isDefault,
    ...(input.alternateStrategyId === undefined ? {} : { alternateStrategyId: input.alternateStrategyId }),
    ...(input.sourceListId === undefined ? {} : { sourceListId: input.sourceListId }),
    objective: input.objective,
    useRealInventory: input.useRealInventory ?? true,
    batchIntervalSeconds: input.batchIntervalSeconds ?? defaultBatchIntervalSeconds,
    mergeWindowSeconds: input.mergeWindowSeconds ?? 0,
    simulation: input.simulation ?? false,
    roadFactor: input.roadFactor ?? 1,
    constraints: input.constraints.map((c) => ({ type: c.type, value: c.value, hard: c.hard })),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}
