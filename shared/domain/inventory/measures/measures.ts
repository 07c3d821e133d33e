import type { ValidationIssue } from '../../errors';
import { addQuantities, roundQuantity } from '../quantity';

/**
 * Measures (docs/inventory.md): per inventory row, physical measures are numbers that data sources report
 * (change events, set), system measures are numbers only this service changes (reservations and
 * allocations), and calculated measures are signed sums of both plus the source's safety stock.
 */

/** A calculated measure: the sum of `plus` minus the sum of `minus`. */
export interface MeasureFormula {
  plus: readonly string[];
  minus: readonly string[];
}

export interface MeasureDefinitions {
  /** Measures that change events and `set` may write, e.g. `onhand`, `ordered`. */
  physical: readonly string[];
  calculated: Readonly<Record<string, MeasureFormula>>;
}

/** Soft reservations hold `softReserved`; allocation groups together hold `allocated`. */
export const systemMeasures = ['softReserved', 'allocated'] as const;
export type SystemMeasure = (typeof systemMeasures)[number];

/** A formula term that is not a row measure: the source's safety stock (catalog `source:{id}`). */
export const safetyStockTerm = 'safetyStock';

/** The calculated measure a soft reservation must not exceed. */
export const reserveCheckMeasure = 'availableToReserve';
/** The calculated measure an allocation must not exceed. */
export const allocateCheckMeasure = 'availableToAllocate';
/** Consuming an allocation without a reservation takes the units out of this physical measure. */
export const onhandMeasure = 'onhand';

const committedTerms = ['softReserved', 'allocated'];

/**
 * The defaults, IOM-like: unpromised stock is what is on hand, less what is soft-reserved, less
 * what is set aside for allocation groups, less the source's safety stock. A general reservation
 * and a new allocation both draw on it; reserving allocated stock goes through `consume`.
 */
export const defaultMeasureDefinitions: MeasureDefinitions = {
  physical: ['onhand', 'ordered'],
  calculated: {
    availableToReserve: { plus: ['onhand'], minus: ['softReserved', 'allocated', safetyStockTerm] },
    availableToAllocate: { plus: ['onhand'], minus: ['softReserved', 'allocated', safetyStockTerm] },
    projectedAvailable: {
      plus: ['onhand', 'ordered'],
      minus: ['softReserved', 'allocated', safetyStockTerm],
    },
  },
};

const namePattern = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

/**
 * Every rule a measure configuration breaks (empty: usable). Besides well-formed, unique names and
 * known terms, the two check measures must subtract both committed measures: otherwise a reservation
 * or allocation would not lower the very number it is checked against, and nothing would stop an
 * oversell.
 */
export function validateMeasureDefinitions(definitions: MeasureDefinitions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const reserved = new Set<string>([...systemMeasures, safetyStockTerm]);
  const physical = new Set<string>();
  definitions.physical.forEach((name, index) => {
    const path = `/physical/${index}`;
    if (!namePattern.test(name))
      issues.push({ path, message: 'must be a letter then up to 39 letters or digits' });
    else if (reserved.has(name)) issues.push({ path, message: `"${name}" is maintained by the service` });
    else if (physical.has(name)) issues.push({ path, message: `"${name}" is listed twice` });
    physical.add(name);
  });
  if (!physical.has(onhandMeasure)) {
    issues.push({ path: '/physical', message: `must include "${onhandMeasure}"` });
  }
  const terms = new Set<string>([...physical, ...reserved]);
  for (const [name, formula] of Object.entries(definitions.calculated)) {
    const path = `/calculated/${name}`;
    if (!namePattern.test(name))
      issues.push({ path, message: 'must be a letter then up to 39 letters or digits' });
    else if (terms.has(name))
      issues.push({ path, message: `"${name}" is already a physical or system measure` });
    for (const side of ['plus', 'minus'] as const) {
      formula[side].forEach((term, index) => {
        if (!terms.has(term)) {
          issues.push({
            path: `${path}/${side}/${index}`,
            message: `"${term}" is not a physical or system measure`,
          });
        }
      });
    }
  }
  for (const check of [reserveCheckMeasure, allocateCheckMeasure]) {
    const formula = definitions.calculated[check];
    if (formula === undefined) {
      issues.push({ path: `/calculated/${check}`, message: 'is required' });
      continue;
    }
    for (const term of committedTerms) {
      if (!formula.minus.includes(term) || formula.plus.includes(term)) {
        issues.push({
          path: `/calculated/${check}/minus`,
          message: `must subtract "${term}" (and not add it)`,
        });
      }
    }
  }
  return issues;
}

/** The stored measures of a row: physical and system measures by name (absent = 0). */
export type MeasureValues = Readonly<Record<string, number>>;

/** The value of one calculated measure for a row whose source holds back `safetyStock`. */
export function calculateMeasure(
  formula: MeasureFormula,
  measures: MeasureValues,
  safetyStock: number
): number {
  const value = (term: string) => (term === safetyStockTerm ? safetyStock : (measures[term] ?? 0));
  let total = 0;
  for (const term of formula.plus) total += value(term);
  for (const term of formula.minus) total -= value(term);
  return roundQuantity(total);
}

/**
 * Everything a query shows for a row: each physical and system measure (0 when never written), the
 * safety stock, and each calculated measure. Calculated measures may be negative: when a data source
 * reports less stock than is already promised, the shortfall is shown, not hidden.
 */
export function measureView(
  measures: MeasureValues,
  safetyStock: number,
  definitions: MeasureDefinitions
): Record<string, number> {
  const view: Record<string, number> = {};
  for (const name of definitions.physical) view[name] = measures[name] ?? 0;
  for (const name of systemMeasures) view[name] = measures[name] ?? 0;
  view[safetyStockTerm] = safetyStock;
  for (const [name, formula] of Object.entries(definitions.calculated)) {
    view[name] = calculateMeasure(formula, measures, safetyStock);
  }
  return view;
}

/** Measure views added name by name (formulas are linear, so calculated sums stay exact). */
export function sumMeasureViews(views: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const view of views) {
    for (const [name, value] of Object.entries(view)) total[name] = addQuantities(total[name] ?? 0, value);
  }
  return total;
}
