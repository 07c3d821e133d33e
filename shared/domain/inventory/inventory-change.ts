import { ValidationError } from '../errors';
import { negativeMeasure } from './inventory-errors';
import type { InventoryRow } from './inventory-row';
import type { MeasureDefinitions } from './measures/measures';
import { refused, succeeded, type OperationResult } from './operation-result';
import { addQuantities, roundQuantity } from './quantity';

/** `delta` adds the quantity to the measure (change events); `set` makes it the measure's value. */
export type ChangeMode = 'delta' | 'set';

export interface MeasureChange {
  measure: string;
  quantity: number;
  mode: ChangeMode;
}

/**
 * A data source's report applied to a row. Only physical measures may be written: system measures
 * move only through reservations and allocations, whose documents they must agree with. No physical
 * measure may go below zero (such an event contradicts the stock the source reported before and is
 * refused); it may go below what is reserved — the stock is gone, and the shortfall shows as a
 * negative available measure until the source reports more or reservations are released.
 */
export function applyMeasureChange(
  row: InventoryRow,
  change: MeasureChange,
  definitions: MeasureDefinitions
): OperationResult<InventoryRow> {
  if (!definitions.physical.includes(change.measure)) {
    return refused(
      new ValidationError(`"${change.measure}" is not a physical measure.`, [
        { path: '/measure', message: `must be one of ${definitions.physical.join(', ')}` },
      ])
    );
  }
  const current = row.measures[change.measure] ?? 0;
  const next =
    change.mode === 'set' ? roundQuantity(change.quantity) : addQuantities(current, change.quantity);
  if (next < 0) {
    return refused(
      change.mode === 'set'
        ? new ValidationError(`${change.measure} cannot be set below zero.`, [
            { path: '/quantity', message: 'must be >= 0' },
          ])
        : negativeMeasure(row, change.measure, current, change.quantity)
    );
  }
  return succeeded({ ...row, measures: { ...row.measures, [change.measure]: next } });
}
