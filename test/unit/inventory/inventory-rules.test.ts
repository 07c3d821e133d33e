import { applyAllocationOperation } from '../../../shared/domain/inventory/allocation';
import { applyMeasureChange } from '../../../shared/domain/inventory/inventory-change';
import { dimensionsKeyOf, emptyRow, type InventoryRow } from '../../../shared/domain/inventory/inventory-row';
import {
  defaultMeasureDefinitions,
  measureView,
  sumMeasureViews,
  validateMeasureDefinitions,
} from '../../../shared/domain/inventory/measures/measures';
import { newReservation, reserve, unreserve } from '../../../shared/domain/inventory/reservation';

const now = new Date('2026-11-27T12:00:00.000Z');
const context = { definitions: defaultMeasureDefinitions, safetyStock: 2 };

function stocked(onhand: number): InventoryRow {
  const outcome = applyMeasureChange(
    emptyRow('A', 'S1'),
    { measure: 'onhand', quantity: onhand, mode: 'set' },
    defaultMeasureDefinitions
  );
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

describe('measure definitions', () => {
  it('accepts the defaults', () => {
    expect(validateMeasureDefinitions(defaultMeasureDefinitions)).toEqual([]);
  });

  it('names every broken rule with its path', () => {
    const issues = validateMeasureDefinitions({
      physical: ['onhand', 'softReserved', 'onhand', '9lives'],
      calculated: {
        availableToReserve: { plus: ['onhand'], minus: ['allocated', 'shipped'] },
        onhand: { plus: [], minus: [] },
      },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/physical/1', message: '"softReserved" is maintained by the service' },
        { path: '/physical/2', message: '"onhand" is listed twice' },
        { path: '/physical/3', message: 'must be a letter then up to 39 letters or digits' },
        {
          path: '/calculated/availableToReserve/minus/1',
          message: '"shipped" is not a physical or system measure',
        },
        {
          path: '/calculated/availableToReserve/minus',
          message: 'must subtract "softReserved" (and not add it)',
        },
        { path: '/calculated/onhand', message: '"onhand" is already a physical or system measure' },
        { path: '/calculated/availableToAllocate', message: 'is required' },
      ])
    );
  });

  it('shows every measure of a row and sums views exactly', () => {
    const view = measureView({ onhand: 10.1, ordered: 5, softReserved: 0.2 }, 2, defaultMeasureDefinitions);
    expect(view).toEqual({
      onhand: 10.1,
      ordered: 5,
      softReserved: 0.2,
      allocated: 0,
      safetyStock: 2,
      availableToReserve: 7.9,
      availableToAllocate: 7.9,
      projectedAvailable: 12.9,
    });
    expect(sumMeasureViews([view, view]).availableToReserve).toBe(15.8);
  });
});

describe('rows', () => {
  it('keys dimensions canonically, whatever the order of the fields', () => {
    expect(dimensionsKeyOf({ size: 'M', color: 'red' })).toBe('color=red;size=M');
    expect(dimensionsKeyOf({ color: 'red', size: 'M' })).toBe('color=red;size=M');
    expect(dimensionsKeyOf({ a: 'x;b=y' })).not.toBe(dimensionsKeyOf({ a: 'x', b: 'y' }));
    expect(dimensionsKeyOf(undefined)).toBe('');
  });

  it('refuses a delta that would make a physical measure negative, and writes to system measures', () => {
    const row = stocked(3);
    const negative = applyMeasureChange(
      row,
      { measure: 'onhand', quantity: -4, mode: 'delta' },
      defaultMeasureDefinitions
    );
    expect(negative.ok || negative.error.code).toBe('negative-measure');
    const system = applyMeasureChange(
      row,
      { measure: 'softReserved', quantity: 1, mode: 'delta' },
      defaultMeasureDefinitions
    );
    expect(system.ok || system.error.code).toBe('validation-failed');
    const set = applyMeasureChange(
      row,
      { measure: 'onhand', quantity: -1, mode: 'set' },
      defaultMeasureDefinitions
    );
    expect(set.ok || set.error.code).toBe('validation-failed');
  });
});

describe('reservations', () => {
  it('reserves up to on-hand less safety stock, and says how much was available', () => {
    const first = reserve(stocked(10), 8, context);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = reserve(first.value, 1, context);
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.code).toBe('insufficient-inventory');
    expect(second.error.extensions).toMatchObject({ sku: 'A', sourceId: 'S1', requested: 1, available: 0 });
  });

  it('releases partially, repeats a release id without releasing twice, and refuses more than remains', () => {
    const reserved = reserve(stocked(10), 5, context);
    if (!reserved.ok) throw reserved.error;
    const reservation = newReservation(
      { id: 'r', sku: 'A', sourceId: 'S1', dimensionsKey: '', quantity: 5 },
      reserved.value,
      now
    );
    const partial = unreserve(reserved.value, reservation, { quantity: 2, releaseId: 'u1' }, now);
    if (!partial.ok) throw partial.error;
    expect(partial.value.row.measures.softReserved).toBe(3);
    expect(partial.value.reservation.remaining).toBe(3);
    const again = unreserve(
      partial.value.row,
      partial.value.reservation,
      { quantity: 2, releaseId: 'u1' },
      now
    );
    if (!again.ok) throw again.error;
    expect(again.value).toMatchObject({ repeated: true, released: 2 });
    expect(again.value.row.measures.softReserved).toBe(3);
    const tooMuch = unreserve(partial.value.row, partial.value.reservation, { quantity: 4 }, now);
    expect(tooMuch.ok || tooMuch.error.code).toBe('exceeds-reservation');
    const rest = unreserve(partial.value.row, partial.value.reservation, {}, now);
    if (!rest.ok) throw rest.error;
    expect(rest.value.released).toBe(3);
    expect(rest.value.row.measures.softReserved).toBe(0);
  });
});

describe('allocations', () => {
  const web = { channel: 'web' };
  const vip = { channel: 'web', customerGroup: 'vip' };

  it('allocates within availableToAllocate, moves between groups, and consumes into a reservation or out of stock', () => {
    const allocated = applyAllocationOperation(
      stocked(10),
      { kind: 'allocate', group: web, quantity: 6 },
      context
    );
    if (!allocated.ok) throw allocated.error;
    const over = applyAllocationOperation(
      allocated.value,
      { kind: 'allocate', group: vip, quantity: 3 },
      context
    );
    expect(over.ok || over.error.code).toBe('insufficient-inventory');
    const moved = applyAllocationOperation(
      allocated.value,
      { kind: 'reallocate', from: web, to: vip, quantity: 2 },
      context
    );
    if (!moved.ok) throw moved.error;
    expect(moved.value.allocations).toEqual([
      { channel: 'web', quantity: 4 },
      { channel: 'web', customerGroup: 'vip', quantity: 2 },
    ]);
    const reserved = applyAllocationOperation(
      moved.value,
      { kind: 'consume', group: vip, quantity: 2, reserve: true },
      context
    );
    if (!reserved.ok) throw reserved.error;
    expect(reserved.value.measures).toMatchObject({ onhand: 10, allocated: 4, softReserved: 2 });
    expect(reserved.value.allocations).toEqual([{ channel: 'web', quantity: 4 }]);
    const sold = applyAllocationOperation(
      reserved.value,
      { kind: 'consume', group: web, quantity: 1, reserve: false },
      context
    );
    if (!sold.ok) throw sold.error;
    expect(sold.value.measures).toMatchObject({ onhand: 9, allocated: 3, softReserved: 2 });
    const empty = applyAllocationOperation(
      sold.value,
      { kind: 'unallocate', group: vip, quantity: 1 },
      context
    );
    expect(empty.ok || empty.error.code).toBe('insufficient-allocation');
  });
});
