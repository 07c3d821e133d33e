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
import {
  measureDefinitionsOf,
  storedMeasureConfigurationOf,
  type CalculatedMeasure,
  type MeasureTerm,
  type StoredMeasureConfiguration,
} from '../../../shared/domain/inventory/measures/measure-config';
import {
  defaultMeasureDefinitions,
  measureView,
  type MeasureDefinitions,
} from '../../../shared/domain/inventory/measures/measures';
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
  | { kind: 'change'; row: number; measure: string; delta: number }
  | { kind: 'set'; row: number; measure: string; quantity: number }
  | { kind: 'reserve'; row: number; id: string; quantity: number }
  | { kind: 'unreserve'; id: string; quantity?: number; releaseId?: string }
  | { kind: 'allocation'; row: number; operation: AllocationOperation; id: string };

/** `written`: the measures data sources report (with a random configuration, custom ones too). */
function steps(
  onlyIncreases: boolean,
  written: readonly string[] = ['onhand', 'ordered']
): fc.Arbitrary<Step[]> {
  const measure = fc.constantFrom(...written);
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
  definitions: MeasureDefinitions;
  rows: InventoryRow[];
  reservations: Map<string, Reservation>;
}

const now = new Date('2026-11-27T12:00:00.000Z');
const context = (row: number, definitions = defaultMeasureDefinitions): RowContext => ({
  definitions,
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
        world.definitions
      );
      if (!outcome.ok) return outcome.error;
      world.rows[step.row] = outcome.value;
      return undefined;
    }
    case 'reserve': {
      if (world.reservations.has(step.id)) return undefined; // a repeat: answered from the store
      const row = world.rows[step.row]!;
      const outcome = reserve(row, step.quantity, context(step.row, world.definitions));
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
      const outcome = applyAllocationOperation(row, operation, context(step.row, world.definitions));
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
    for (const name of [...world.definitions.physical, 'softReserved', 'allocated']) {
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
    const ss = safetyStocks[index]!;
    if (world.definitions !== defaultMeasureDefinitions) return; // checkConfiguredView checks them
    // Calculated measures equal their formulas.
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

function freshWorld(definitions = defaultMeasureDefinitions): World {
  return {
    definitions,
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

// ---- a random measure configuration ----

const customMeasures = ['inTransit', 'damaged', 'returned'];

/** Each physical measure in or out of a formula, with either sign. */
function randomTerms(physical: readonly string[]): fc.Arbitrary<MeasureTerm[]> {
  return fc
    .tuple(...physical.map(() => fc.constantFrom<0 | 1 | -1>(0, 1, -1)))
    .map((signs) =>
      physical.flatMap((measure, i) => (signs[i] === 0 ? [] : [{ measure, sign: signs[i] as 1 | -1 }]))
    );
}

/**
 * A configuration as PUT may send it: some custom physical measures; availableToReserve and
 * availableToAllocate each subtracting what is held plus random signed terms; 0–2 other measures.
 */
const configuration: fc.Arbitrary<StoredMeasureConfiguration> = fc
  .subarray(customMeasures)
  .chain((custom) => {
    const written = ['onhand', 'ordered', ...custom];
    const check = (name: string): fc.Arbitrary<CalculatedMeasure> =>
      fc.record({ terms: randomTerms(written), includeSafetyStock: fc.boolean() }).map((c) => ({
        name,
        terms: [...c.terms, { measure: 'softReserved', sign: -1 }, { measure: 'allocated', sign: -1 }],
        includeSafetyStock: c.includeSafetyStock,
      }));
    const other = fc
      .record({
        terms: randomTerms([...written, 'softReserved', 'allocated']),
        includeSafetyStock: fc.boolean(),
      })
      .filter((c) => c.terms.length > 0);
    return fc
      .tuple(check('availableToReserve'), check('availableToAllocate'), fc.array(other, { maxLength: 2 }))
      .map(([atr, ata, others]) => {
        const checked = storedMeasureConfigurationOf({
          physical: custom.map((name) => ({ name })),
          calculated: [atr, ata, ...others.map((c, i) => ({ name: `extra${i}`, ...c }))],
        });
        if (!checked.ok)
          throw new Error(`a valid configuration was refused: ${JSON.stringify(checked.issues)}`);
        return checked.value;
      });
  });

/** Each calculated measure recomputed here from the configuration, independently of measures.ts. */
function checkConfiguredView(world: World, config: StoredMeasureConfiguration): void {
  world.rows.forEach((row, index) => {
    const ss = safetyStocks[index]!;
    const view = measureView(row.measures, ss, world.definitions);
    const expected = [
      'onhand',
      'ordered',
      ...config.physical,
      'softReserved',
      'allocated',
      'safetyStock',
      ...config.calculated.map((c) => c.name),
    ];
    check(
      JSON.stringify(Object.keys(view).sort()) === JSON.stringify([...expected].sort()),
      `view keys ${Object.keys(view).join(',')}`
    );
    for (const c of config.calculated) {
      const value =
        c.terms.reduce((sum, t) => sum + t.sign * measure(row, t.measure), 0) -
        (c.includeSafetyStock ? ss : 0);
      check(near(view[c.name]!, value), `${c.name} ${view[c.name]} ≠ its formula ${value}`);
    }
  });
}

/**
 * How far promises exceed what availableToReserve would be with nothing promised (0 when they fit):
 * the configured counterpart of `overcommit`. The check measures subtract softReserved and allocated.
 */
const shortfall = (world: World, index: number) => {
  const row = world.rows[index]!;
  const view = measureView(row.measures, safetyStocks[index]!, world.definitions);
  const unpromised = roundQuantity(view.availableToReserve! + committed(row));
  return Math.max(0, roundQuantity(committed(row) - Math.max(0, unpromised)));
};

it('keeps every invariant under a random measure configuration; only data-source reports add to a shortfall', () => {
  fc.assert(
    fc.property(
      configuration.chain((config) =>
        fc.tuple(fc.constant(config), steps(false, ['onhand', 'ordered', ...config.physical]))
      ),
      ([config, run]) => {
        const world = freshWorld(measureDefinitionsOf(config));
        for (const step of run) {
          const before = world.rows.map((_, i) => shortfall(world, i));
          apply(world, step);
          checkInvariants(world);
          checkConfiguredView(world, config);
          if (step.kind !== 'change' && step.kind !== 'set') {
            world.rows.forEach((_, i) =>
              check(shortfall(world, i) <= before[i]!, `${step.kind} added to the shortfall of row ${i}`)
            );
          }
        }
      }
    ),
    { numRuns: 500 }
  );
});

it('never promises more than the configured availableToReserve while sources only report more of it', () => {
  fc.assert(
    fc.property(
      configuration.chain((config) => {
        // Receipts of measures that availableToReserve does not subtract: none can lower it.
        const atr = config.calculated.find((c) => c.name === 'availableToReserve')!;
        const subtracted = new Set(atr.terms.filter((t) => t.sign === -1).map((t) => t.measure));
        const written = ['onhand', 'ordered', ...config.physical].filter((m) => !subtracted.has(m));
        return fc.tuple(fc.constant(config), steps(true, written.length > 0 ? written : ['onhand']));
      }),
      ([config, run]) => {
        const world = freshWorld(measureDefinitionsOf(config));
        for (const step of run) {
          apply(world, step);
          checkInvariants(world);
          checkConfiguredView(world, config);
          world.rows.forEach((_, i) => check(shortfall(world, i) === 0, `row ${i} promises too much`));
        }
      }
    ),
    { numRuns: 500 }
  );
});
