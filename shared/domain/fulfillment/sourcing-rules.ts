import type {
  ConstraintType,
  FulfillmentObjective,
  FulfillmentStrategy,
  StrategyConstraint,
} from './strategy';

/**
 * How location priority enters the objective. Priority never excludes a source; it makes shipments
 * from lower-priority sources (higher numbers) dearer:
 * - `tie-break` (soft usePriority): each level below 1 adds 1 (km or minor unit) per shipment, so it
 *   decides between otherwise near-equal plans;
 * - `lexicographic` (hard usePriority): each level adds more than the dearest single shipment, so a
 *   shipment from a better-priority source is preferred over any saving on one shipment.
 */
export type PriorityMode = 'off' | 'tie-break' | 'lexicographic';

/** The constraints in force in one pass, resolved to plain values (absent = not constrained). */
export interface SourcingRules {
  objective: FulfillmentObjective;
  roadFactor: number;
  maxDistanceKm?: number;
  maxSourcesPerOrder?: number;
  maxSourcesPerLine?: number;
  /** false: every line of an order is fully sourced, or nothing of the order is. */
  allowPartialOrder: boolean;
  /** false: a line is fully sourced or not at all. */
  allowPartialLine: boolean;
  /** true: only sources that can still ship today (working day, not a holiday, before cut-off). */
  respectCutoff: boolean;
  /** true: each source's safety stock is held back. */
  useSafetyStock: boolean;
  priority: PriorityMode;
  /** Lines per source per day: a number overrides every source's own `maxOrderLinesPerDay`. */
  maxLinesPerDay?: number;
  /** Which constraints are hard (kept in pass 2) — reasons name them. */
  hard: ReadonlySet<ConstraintType>;
}

export type Pass = 1 | 2;

/**
 * The rules of a pass (IOM's two passes): pass 1 applies every constraint, pass 2 only the hard
 * ones, for the lines pass 1 left not fully sourced. The sources' own daily line limits always hold.
 */
export function rulesForPass(
  strategy: Pick<FulfillmentStrategy, 'objective' | 'roadFactor' | 'constraints'>,
  pass: Pass
): SourcingRules {
  const inForce = strategy.constraints.filter((c) => pass === 1 || c.hard);
  const find = (type: ConstraintType): StrategyConstraint | undefined => inForce.find((c) => c.type === type);
  const num = (type: ConstraintType): number | undefined => {
    const value = find(type)?.value;
    return typeof value === 'number' ? value : undefined;
  };
  const flag = (type: ConstraintType): boolean | undefined => {
    const value = find(type)?.value;
    return typeof value === 'boolean' ? value : undefined;
  };
  const usePriority = find('usePriority');
  const maxDistanceKm = num('maxDistanceKm');
  const maxSourcesPerOrder = num('maxSourcesPerOrder');
  const maxSourcesPerLine = num('maxSourcesPerLine');
  const maxLinesPerDay = num('maxLinesPerDay');
  return {
    objective: strategy.objective,
    roadFactor: strategy.roadFactor,
    ...(maxDistanceKm === undefined ? {} : { maxDistanceKm }),
    ...(maxSourcesPerOrder === undefined ? {} : { maxSourcesPerOrder }),
    ...(maxSourcesPerLine === undefined ? {} : { maxSourcesPerLine }),
    allowPartialOrder: flag('allowPartialOrder') ?? true,
    allowPartialLine: flag('allowPartialLine') ?? true,
    respectCutoff: flag('respectCutoff') ?? false,
    useSafetyStock: flag('useSafetyStock') ?? false,
    priority: usePriority?.value === true ? (usePriority.hard ? 'lexicographic' : 'tie-break') : 'off',
    ...(maxLinesPerDay === undefined ? {} : { maxLinesPerDay }),
    hard: new Set(strategy.constraints.filter((c) => c.hard).map((c) => c.type)),
  };
}

/** Whether pass 2 can differ from pass 1: some constraint is soft. */
export function hasSoftConstraints(strategy: Pick<FulfillmentStrategy, 'constraints'>): boolean {
  return strategy.constraints.some((c) => !c.hard);
}
