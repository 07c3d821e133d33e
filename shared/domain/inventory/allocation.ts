import { ValidationError } from '../errors';
import { insufficientAllocation, insufficientInventory, negativeMeasure } from './inventory-errors';
import {
  allocationOf,
  sameGroup,
  withAllocationChange,
  type AllocationGroup,
  type InventoryRow,
} from './inventory-row';
import {
  allocateCheckMeasure,
  calculateMeasure,
  onhandMeasure,
  reserveCheckMeasure,
} from './measures/measures';
import { refused, succeeded, type OperationResult } from './operation-result';
import { addQuantities } from './quantity';
import { withSoftReserved, type RowContext } from './reservation';

/**
 * Allocation groups (docs/inventory.md, IOM allocation): stock of a row set aside for a channel or a
 * (channel, customer group), so that other demand cannot take it.
 *
 * - allocate: availableToAllocate → the group (refused beyond availableToAllocate, and beyond
 *   availableToReserve when a configuration makes that smaller);
 * - reallocate: one group → another (refused beyond what the source group holds);
 * - unallocate: the group → back to the unpromised stock;
 * - consume: the group's units are used. Into a soft reservation: allocated → softReserved (the
 *   reservation can later be released like any other). Without: a sale from the allocation, the
 *   units leave on-hand as well (allocated and onhand both fall), so no on-hand delta is to be sent
 *   for them.
 *
 * None of them raises softReserved + allocated above what the check measures allow, so none can
 * oversell; reallocate and consume leave every available measure unchanged.
 */
export type AllocationOperation =
  | { kind: 'allocate'; group: AllocationGroup; quantity: number }
  | { kind: 'reallocate'; from: AllocationGroup; to: AllocationGroup; quantity: number }
  | { kind: 'unallocate'; group: AllocationGroup; quantity: number }
  | { kind: 'consume'; group: AllocationGroup; quantity: number; reserve: boolean };

export type AllocationKind = AllocationOperation['kind'];

export function applyAllocationOperation(
  row: InventoryRow,
  operation: AllocationOperation,
  context: RowContext
): OperationResult<InventoryRow> {
  switch (operation.kind) {
    case 'allocate': {
      // availableToReserve too: allocated stock can become a reservation (consume) without another
      // check, so an allocation must not promise what a reservation could not take. With the
      // default formulas the two are the same number.
      for (const check of [allocateCheckMeasure, reserveCheckMeasure]) {
        const formula = context.definitions.calculated[check];
        const available =
          formula === undefined ? 0 : calculateMeasure(formula, row.measures, context.safetyStock);
        if (operation.quantity > available) {
          return refused(insufficientInventory(row, check, operation.quantity, available));
        }
      }
      return succeeded(withAllocated(row, operation.group, operation.quantity));
    }
    case 'reallocate': {
      if (sameGroup(operation.from, operation.to)) {
        return refused(
          new ValidationError('Reallocation needs two different groups.', [
            { path: '/to', message: 'must differ from /from' },
          ])
        );
      }
      const held = allocationOf(row, operation.from);
      if (operation.quantity > held) {
        return refused(insufficientAllocation(row, operation.from, operation.quantity, held));
      }
      const moved = withAllocated(row, operation.from, -operation.quantity);
      return succeeded(withAllocated(moved, operation.to, operation.quantity));
    }
    case 'unallocate': {
      const held = allocationOf(row, operation.group);
      if (operation.quantity > held) {
        return refused(insufficientAllocation(row, operation.group, operation.quantity, held));
      }
      return succeeded(withAllocated(row, operation.group, -operation.quantity));
    }
    case 'consume': {
      const held = allocationOf(row, operation.group);
      if (operation.quantity > held) {
        return refused(insufficientAllocation(row, operation.group, operation.quantity, held));
      }
      const released = withAllocated(row, operation.group, -operation.quantity);
      if (operation.reserve) return succeeded(withSoftReserved(released, operation.quantity));
      const onhand = row.measures[onhandMeasure] ?? 0;
      if (operation.quantity > onhand) {
        return refused(negativeMeasure(row, onhandMeasure, onhand, -operation.quantity));
      }
      return succeeded({
        ...released,
        measures: { ...released.measures, [onhandMeasure]: addQuantities(onhand, -operation.quantity) },
      });
    }
  }
}

/** The row with the group's pool and the allocated measure both changed by `delta`. */
function withAllocated(row: InventoryRow, group: AllocationGroup, delta: number): InventoryRow {
  return {
    ...row,
    measures: { ...row.measures, allocated: addQuantities(row.measures.allocated ?? 0, delta) },
    allocations: withAllocationChange(row.allocations, group, delta),
  };
}
