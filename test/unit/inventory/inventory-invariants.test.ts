import fc from 'fast-check';
import type { DomainError } from '../../../shared/domain/errors';
import {
  applyAllocationOperation,
  type AllocationOperation,
} from '../../../shared/domain/inventory/allocation';
import { applyMeasureChange } from '../../../shared/domain/inventory/inventory-change';
import {
  emptyRow,
  type AllocationGroup,
  type InventoryRow,
} from '../../../shared/domain/inventory/inventory-row';
import { defaultMeasureDefinitions, measureView } from '../../../shared/domain/inventory/measures';
import { roundQuantity } from '../../../shared/domain/inventory/quantity';
import {
  newReservation,
  reserve,
  unreserve,
  type Reservation,
  type RowContext,
} from '../../../shared/domain/inventory/reservation';

/**
 * Random interleavings of change events, sets, reservations, unreservations, allocations,
 * reallocations, unallocations and consumptions, applied with the pure rules the app uses, keep every
 * invariant of docs/inventory.md after every step.
 */

const safetyStocks = [0, 3];
const groups: AllocationGroup[] = [{ channel: 'web' }, { channel: 'web', customerGroup: 'vip' }];
const reservationIds = Array.from({ length: 12 }, (_, i) => `r${i + 1}`);

// Whole units mostly, tenths sometimes: decimals must not drift past a check.
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 120 }).map((n) => n / 10)
);
const rowIndex = fc.integer({ min: 0, max: safetyStocks.length - 1 });
const group = fc.constantFrom(...groups);

type Step =
  | { kind: 'change'; row: number; measure: 'onhand' | 'ordered'; delta: number }
  | { kind: 'set'; row: number; measure: 'onhand' | 'ordered'; quantity: number }
  | { kind: 'reserve'; row: number; id: string; quantity: number }
  | { kind: 'unreserve'; id: string; quantity?: number; releaseId?: string }
  | { kind: 'allocation'; row: number; operation: AllocationOperation; id: string };

function steps(onlyIncreases: boolean): fc.Arbitrary<Step[]> {
  const measure = fc.constantFrom('onhand' as const, 'ordered' as const);
  const change = fc.record({
    kind: fc.constant('change' as const),
    row: rowIndex,
    measure,
    // Mostly receipts, so that there is stock to promise; sometimes stock leaves.
    delta: onlyIncreases
      ? quantity
      : fc.oneof({ arbitrary: quantity, weight: 3 }, { arbitrary: quantity.map((q) => -q), weight: 1 }),
  });
  const set = fc.record({
    kind: fc.constant('set' as const),
    row: rowIndex,
    measure,
    quantity: fc.integer({ min: 0, max: 40 }),
  });
  const reserveStep = fc.record({
    kind: fc.constant('reserve' as const),
    row: rowIndex,
    id: fc.constantFrom(...reservationIds),
    quantity,
  });
  const unreserveStep = fc.record(
    {
      kind: fc.constant('unreserve' as const),
      id: fc.constantFrom(...reservationIds),
      quantity,
      releaseId: fc.constantFrom('u1', 'u2', 'u3'),
    },
    { requiredKeys: ['kind', 'id'] }
  );
  const operation: fc.Arbitrary<AllocationOperation> = fc.oneof(
    fc.record({ kind: fc.constant('allocate' as const), group, quantity }),
    fc.record({ kind: fc.constant('reallocate' as const), from: group, to: group, quantity }),
    fc.record({ kind: fc.constant('unallocate' as const), group, quantity }),
    fc.record({ kind: fc.constant('consume' as const), group, quantity, reserve: fc.boolean() })
  );
  const allocation = fc.record({
    kind: fc.constant('allocation' as const),
    row: rowIndex,
    operation,
    id: fc.constantFrom(...reservationIds),
  });
  // `set` can lower on-hand, so it belongs only to the unrestricted runs.
  const all = onlyIncreases
    ? [change, reserveStep, unreserveStep, allocation]
    : [change, set, reserveStep, unreserveStep, allocation];
  return fc.array(fc.oneof(...all), { minLength: 20, maxLength: 60, size: 'max' });
}

interface World {
  rows: InventoryRow[];
  reservations: Map<string, Reservation>;
}

const now = new Date('2026-11-27T12:00:00.000Z');
const context = (row: number): RowContext => ({
  definitions: defaultMeasureDefinitions,
  safetyStock: safetyStocks[row]!,
});
const measure = (row: InventoryRow, name: string) => row.measures[name] ?? 0;
const committed = (row: InventoryRow) =>
  roundQuantity(measure(row, 'softReserved') + measure(row, 'allocated'));
/** How far promises exceed the stock above safety stock (0 when they fit). */
const overcommit = (row: InventoryRow, index: number) =>
  Math.max(0, roundQuantity(committed(row) - Math.max(0, measure(row, 'onhand') - safetyStocks[index]!)));

/** Applies a step as the app would; returns the refusal, if any. */
function apply(world: World, step: Step): DomainError | undefined {
  switch (step.kind) {
    case 'change':
    case 'set': {
      const outcome = applyMeasureChange(
        world.rows[step.row]!,
        step.kind === 'change'
          ? { measure: step.measure, quantity: step.delta, mode: 'delta' }
          : { measure: step.measure, quantity: step.quantity, mode: 'set' },
        defaultMeasureDefinitions
      );
      if (!outcome.ok) return outcome.error;
      world.rows[step.row] = outcome.value;
      return undefined;
    }
    case 'reserve': {
      if (world.reservations.has(step.id)) return undefined; // a repeat: answered from the store
      const row = world.rows[step.row]!;
      const outcome = reserve(row, step.quantity, context(step.row));
      if (!outcome.ok) return outcome.error;
      world.rows[step.row] = outcome.value;
      world.reservations.set(
        step.id,
        newReservation(
          { id: step.id, sku: row.sku, sourceId: row.sourceId, dimensionsKey: '', quantity: step.quantity },
          row,
          now
        )
      );
      return undefined;
    }
    case 'unreserve': {
      const reservation = world.reservations.get(step.id);
      if (reservation === undefined) return undefined;
      const index = world.rows.findIndex((r) => r.sourceId === reservation.sourceId);
      const outcome = unreserve(
        world.rows[index]!,
        reservation,
        {
          ...(step.quantity === undefined ? {} : { quantity: step.quantity }),
          ...(step.releaseId === undefined ? {} : { releaseId: step.releaseId }),
        },
        now
      );
      if (!outcome.ok) return outcome.error;
      world.rows[index] = outcome.value.row;
      world.reservations.set(step.id, outcome.value.reservation);
      return undefined;
    }
    case 'allocation': {
      const { operation } = step;
      const intoReservation = operation.kind === 'consume' && operation.reserve;
      if (intoReservation && world.reservations.has(step.id)) return undefined; // the app refuses a taken id
      const row = world.rows[step.row]!;
      const outcome = applyAllocationOperation(row, operation, context(step.row));
      if (!outcome.ok) return outcome.error;
      world.rows[step.row] = outcome.value;
      if (intoReservation) {
        world.reservations.set(
          step.id,
          newReservation(
            {
              id: step.id,
              sku: row.sku,
              sourceId: row.sourceId,
              dimensionsKey: '',
              quantity: operation.quantity,
            },
            outcome.value,
            now,
            operation.group
          )
        );
      }
      return undefined;
    }
  }
}

/** Plain checks (not `expect`, which is slow over 10^5 calls); fast-check reports the failing run. */
function check(holds: boolean, what: string): void {
  if (!holds) throw new Error(`invariant broken: ${what}`);
}

const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

function checkInvariants(world: World): void {
  world.rows.forEach((row, index) => {
    for (const name of ['onhand', 'ordered', 'softReserved', 'allocated']) {
      check(measure(row, name) >= 0, `${name} of row ${index} is ${measure(row, name)}`);
    }
    for (const entry of row.allocations) check(entry.quantity > 0, `an empty allocation entry is kept`);
    const allocatedSum = roundQuantity(row.allocations.reduce((sum, e) => sum + e.quantity, 0));
    check(
      near(measure(row, 'allocated'), allocatedSum),
      `allocated ${measure(row, 'allocated')} ≠ groups ${allocatedSum}`
    );
    const reservedSum = roundQuantity(
      [...world.reservations.values()]
        .filter((r) => r.sourceId === row.sourceId)
        .reduce((sum, r) => sum + r.remaining, 0)
    );
    check(
      near(measure(row, 'softReserved'), reservedSum),
      `softReserved ${measure(row, 'softReserved')} ≠ reservations ${reservedSum}`
    );
    // Calculated measures equal their formulas.
    const ss = safetyStocks[index]!;
    const view = measureView(row.measures, ss, defaultMeasureDefinitions);
    const free = measure(row, 'onhand') - measure(row, 'softReserved') - measure(row, 'allocated') - ss;
    check(near(view.availableToReserve!, free), `availableToReserve ${view.availableToReserve} ≠ ${free}`);
    check(near(view.availableToAllocate!, free), `availableToAllocate ${view.availableToAllocate} ≠ ${free}`);
    check(near(view.projectedAvailable!, free + measure(row, 'ordered')), 'projectedAvailable');
    check(view.safetyStock === ss, 'safetyStock');
  });
  for (const reservation of world.reservations.values()) {
    check(
      reservation.remaining >= 0 && reservation.remaining <= reservation.quantity,
      `reservation ${reservation.reservationId} holds ${reservation.remaining} of ${reservation.quantity}`
    );
  }
}

function freshWorld(): World {
  return {
    rows: safetyStocks.map((_, i) => emptyRow('SKU-1', `S${i}`)),
    reservations: new Map(),
  };
}

it('keeps every invariant under random interleavings, and only data-source reports can overcommit a row', () => {
  fc.assert(
    fc.property(steps(false), (run) => {
      const world = freshWorld();
      for (const step of run) {
        const before = world.rows.map(overcommit);
        apply(world, step);
        checkInvariants(world);
        if (step.kind !== 'change' && step.kind !== 'set') {
          // Reservations and allocations never add to a shortfall that reports of lost stock made.
          world.rows.forEach((row, i) =>
            check(overcommit(row, i) <= before[i]!, `${step.kind} overcommitted row ${i}`)
          );
        }
      }
    }),
    { numRuns: 1000 }
  );
});

it('never lets reservations and allocations exceed on-hand minus safety stock while stock only grows', () => {
  fc.assert(
    fc.property(steps(true), (run) => {
      const world = freshWorld();
      for (const step of run) {
        apply(world, step);
        checkInvariants(world);
        world.rows.forEach((row, i) => check(overcommit(row, i) === 0, `row ${i} is overcommitted`));
      }
    }),
    { numRuns: 1000 }
  );
});

it('refuses exactly the reservations that availableToReserve cannot cover', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 50 }), fc.array(quantity, { maxLength: 30 }), (onhand, asks) => {
      const stocked = applyMeasureChange(
        emptyRow('SKU-1', 'S1'),
        { measure: 'onhand', quantity: onhand, mode: 'set' },
        defaultMeasureDefinitions
      );
      if (!stocked.ok) throw stocked.error;
      let current = stocked.value;
      let granted = 0;
      for (const ask of asks) {
        const outcome = reserve(current, ask, context(1));
        const room = roundQuantity(Math.max(0, onhand - safetyStocks[1]!) - granted);
        expect(outcome.ok).toBe(ask <= room);
        if (outcome.ok) {
          current = outcome.value;
          granted = roundQuantity(granted + ask);
        } else {
          expect(outcome.error.code).toBe('insufficient-inventory');
        }
      }
    })
  );
});
