import fc from 'fast-check';
import { ValidationError } from '../../../shared/domain/errors';
import {
  addDays,
  availableToPromise,
  earliestPromiseDate,
  isIsoDate,
  type ScheduledChange,
} from '../../../shared/domain/inventory/atp/atp';
import { scheduleFromInput } from '../../../shared/domain/inventory/atp/atp-schedule';

// The worked example of docs/inventory-atp.md: keep the two in step.
const week: ScheduledChange[] = [
  { date: '2026-03-01', kind: 'supply', quantity: 100 }, // before the period: ignored
  { date: '2026-03-02', kind: 'demand', quantity: 4 },
  { date: '2026-03-03', kind: 'demand', quantity: 5 },
  { date: '2026-03-04', kind: 'supply', quantity: 20 },
  { date: '2026-03-05', kind: 'demand', quantity: 15 },
  { date: '2026-03-06', kind: 'supply', quantity: 3 },
  { date: '2026-03-06', kind: 'demand', quantity: 8 },
  { date: '2026-03-07', kind: 'supply', quantity: 12 },
  { date: '2026-03-08', kind: 'demand', quantity: 2 },
  { date: '2026-03-09', kind: 'demand', quantity: 50 }, // after the period: ignored
];

describe('availableToPromise', () => {
  it('computes a week with supply and demand on different days as worked out by hand', () => {
    const table = availableToPromise(10, week, '2026-03-02', 7);
    expect(table).toEqual([
      { date: '2026-03-02', onHand: 10, supply: 0, demand: 4, projected: 6, atp: 1 },
      { date: '2026-03-03', onHand: 6, supply: 0, demand: 5, projected: 1, atp: 1 },
      { date: '2026-03-04', onHand: 1, supply: 20, demand: 0, projected: 21, atp: 1 },
      { date: '2026-03-05', onHand: 21, supply: 0, demand: 15, projected: 6, atp: 1 },
      { date: '2026-03-06', onHand: 6, supply: 3, demand: 8, projected: 1, atp: 1 },
      { date: '2026-03-07', onHand: 1, supply: 12, demand: 0, projected: 13, atp: 11 },
      { date: '2026-03-08', onHand: 13, supply: 0, demand: 2, projected: 11, atp: 11 },
    ]);
    expect(earliestPromiseDate(table, 1)).toBe('2026-03-02');
    expect(earliestPromiseDate(table, 5)).toBe('2026-03-07');
    expect(earliestPromiseDate(table, 11)).toBe('2026-03-07');
    expect(earliestPromiseDate(table, 12)).toBeUndefined();
  });

  it('shows a shortfall as a negative ATP on every day before it', () => {
    const table = availableToPromise(
      3,
      [
        { date: '2026-12-31', kind: 'demand', quantity: 5 },
        { date: '2027-01-01', kind: 'supply', quantity: 4 },
      ],
      '2026-12-30',
      3
    );
    expect(table.map((d) => [d.date, d.projected, d.atp])).toEqual([
      ['2026-12-30', 3, -2],
      ['2026-12-31', -2, -2],
      ['2027-01-01', 2, 2],
    ]);
  });

  it('keeps decimal quantities tidy', () => {
    const table = availableToPromise(
      0.1,
      [{ date: '2026-03-02', kind: 'supply', quantity: 0.2 }],
      '2026-03-02',
      1
    );
    expect(table[0]).toMatchObject({ projected: 0.3, atp: 0.3 });
  });

  it('refuses a period outside 1-366 days', () => {
    expect(() => availableToPromise(1, [], '2026-03-02', 0)).toThrow(ValidationError);
    expect(() => availableToPromise(1, [], '2026-03-02', 367)).toThrow(ValidationError);
    expect(() => availableToPromise(1, [], '2026-03-02', 1.5)).toThrow(ValidationError);
  });

  it('holds its invariants for any schedule', () => {
    const change = fc.record({
      offset: fc.integer({ min: -3, max: 12 }),
      kind: fc.constantFrom('supply' as const, 'demand' as const),
      quantity: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -500, max: 500 }),
        fc.array(change, { maxLength: 30 }),
        fc.integer({ min: 1, max: 10 }),
        (onHand, changes, days) => {
          const start = '2026-02-25';
          const schedule = changes.map((c) => ({ ...c, date: addDays(start, c.offset) }));
          const table = availableToPromise(onHand, schedule, start, days);
          expect(table).toHaveLength(days);
          const inPeriod = changes.filter((c) => c.offset >= 0 && c.offset < days);
          const net = inPeriod.reduce((sum, c) => sum + (c.kind === 'supply' ? c.quantity : -c.quantity), 0);
          expect(table[days - 1]!.projected).toBe(onHand + net);
          table.forEach((day, i) => {
            expect(day.projected).toBe(day.onHand + day.supply - day.demand);
            expect(day.atp).toBe(Math.min(...table.slice(i).map((d) => d.projected)));
            if (i > 0) {
              expect(day.onHand).toBe(table[i - 1]!.projected);
              expect(day.atp).toBeGreaterThanOrEqual(table[i - 1]!.atp);
            }
          });
        }
      )
    );
  });
});

describe('dates', () => {
  it('knows calendar dates and adds days across months and leap years', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-3-1')).toBe(false);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

function issuesOf(run: () => unknown): unknown[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return [...err.errors];
    throw err;
  }
  return [];
}

describe('scheduleFromInput', () => {
  const now = new Date('2026-03-01T08:00:00.000Z');
  const input = {
    sku: 'A',
    sourceId: 'W1',
    kind: 'supply' as const,
    quantity: 5,
    date: '2026-03-04',
    reference: 'PO-1',
  };

  it('keeps createdAt of the entry it replaces', () => {
    const first = scheduleFromInput('s1', input, undefined, now);
    const later = new Date('2026-03-02T08:00:00.000Z');
    const second = scheduleFromInput('s1', { ...input, quantity: 7 }, first, later);
    expect(second).toEqual({
      id: 's1',
      ...input,
      quantity: 7,
      createdAt: now.toISOString(),
      updatedAt: later.toISOString(),
    });
  });

  it('refuses an impossible date and a move to another SKU, naming the field', () => {
    expect(issuesOf(() => scheduleFromInput('s1', { ...input, date: '2026-02-30' }, undefined, now))).toEqual(
      [{ path: '/date', message: 'is not a calendar date' }]
    );
    const first = scheduleFromInput('s1', input, undefined, now);
    expect(issuesOf(() => scheduleFromInput('s1', { ...input, sku: 'B' }, first, now))).toEqual([
      { path: '/sku', message: expect.stringContaining("cannot change from 'A'") },
    ]);
  });
});
