import { applyMeasureChange } from '../../../shared/domain/inventory/inventory-change';
import { emptyRow, type InventoryRow } from '../../../shared/domain/inventory/inventory-row';
import { defaultMeasureDefinitions } from '../../../shared/domain/inventory/measures/measures';
import { newReservation, reserve, shipFromReservation } from '../../../shared/domain/inventory/reservation';

const now = new Date('2026-12-01T12:00:00.000Z');
const context = { definitions: defaultMeasureDefinitions, safetyStock: 0 };

function reserved(onhand: number, quantity: number) {
  const set = applyMeasureChange(
    emptyRow('A', 'S1'),
    { measure: 'onhand', quantity: onhand, mode: 'set' },
    defaultMeasureDefinitions
  );
  if (!set.ok) throw set.error;
  const held = reserve(set.value, quantity, context);
  if (!held.ok) throw held.error;
  const reservation = newReservation(
    { id: 'r', sku: 'A', sourceId: 'S1', dimensionsKey: '', quantity },
    held.value,
    now
  );
  return { row: held.value, reservation };
}

describe('shipFromReservation', () => {
  it('lowers onhand and softReserved together, once per id', () => {
    const { row, reservation } = reserved(10, 3);
    const shipped = shipFromReservation(row, reservation, { id: 's1', quantity: 2 }, now);
    if (!shipped.ok) throw shipped.error;
    expect(shipped.value.row.measures).toMatchObject({ onhand: 8, softReserved: 1 });
    expect(shipped.value.reservation).toMatchObject({ remaining: 1, releases: [{ id: 's1', quantity: 2 }] });
    const again = shipFromReservation(
      shipped.value.row,
      shipped.value.reservation,
      { id: 's1', quantity: 2 },
      now
    );
    if (!again.ok) throw again.error;
    expect(again.value).toMatchObject({ repeated: true, row: { measures: { onhand: 8, softReserved: 1 } } });
  });

  it('refuses more than the reservation holds, or than onhand has, changing nothing', () => {
    const { row, reservation } = reserved(10, 3);
    const tooMuch = shipFromReservation(row, reservation, { id: 's1', quantity: 4 }, now);
    expect(tooMuch.ok || tooMuch.error.code).toBe('exceeds-reservation');
    // A data source reported lost stock after the reservation.
    const lost: InventoryRow = { ...row, measures: { ...row.measures, onhand: 1 } };
    const short = shipFromReservation(lost, reservation, { id: 's2', quantity: 2 }, now);
    expect(short.ok || short.error.code).toBe('negative-measure');
  });
});
