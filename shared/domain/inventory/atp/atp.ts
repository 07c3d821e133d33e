import { ValidationError } from '../../errors';
import { roundQuantity } from '../quantity';

/**
 * Available to promise (docs/inventory-atp.md). Pure: the caller gives the on-hand of one
 * (sku, source) at the start of the period, the scheduled changes, the first day and the length.
 */

export type ScheduleKind = 'supply' | 'demand';

/** A dated future change of one (sku, source): supply adds on its date, demand takes away. */
export interface ScheduledChange {
  /** ISO date (YYYY-MM-DD), a calendar day in UTC. */
  date: string;
  kind: ScheduleKind;
  /** Positive; the kind gives the sign. */
  quantity: number;
}

/** One day of the ATP table. */
export interface AtpDay {
  date: string;
  /** Projected on-hand at the start of the day: day 0's is the given on-hand, later days' the previous projected. */
  onHand: number;
  /** Scheduled supply dated this day. */
  supply: number;
  /** Scheduled demand dated this day. */
  demand: number;
  /** onHand + supply − demand: what is left at the end of the day. */
  projected: number;
  /** The least `projected` from this day to the last day of the period: what can still be promised. */
  atp: number;
}

export const defaultAtpDays = 7;
export const maxAtpDays = 366;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

/** Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = isoDate.exec(value);
  if (!m) return false;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return at.toISOString().slice(0, 10) === value;
}

/** The ISO date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** The UTC calendar day of an instant: the day ATP, launch dates and holds are counted in. */
export function utcDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/**
 * The ATP table of one (sku, source) over `days` days from `startDate` (day 0). Changes dated
 * before the start or after the last day are outside the period and ignored: an overdue receipt
 * is not counted on until it is booked into on-hand.
 */
export function availableToPromise(
  onHand: number,
  schedule: readonly ScheduledChange[],
  startDate: string,
  days: number
): AtpDay[] {
  if (!Number.isInteger(days) || days < 1 || days > maxAtpDays) {
    throw new ValidationError('The ATP period is not valid.', [
      { path: '/days', message: `must be an integer from 1 to ${maxAtpDays}` },
    ]);
  }
  if (!Number.isFinite(onHand)) throw new RangeError(`on-hand must be a finite number, got ${onHand}`);
  const dates = Array.from({ length: days }, (_, i) => addDays(startDate, i));
  const index = new Map(dates.map((date, i) => [date, i]));
  const supply = new Array<number>(days).fill(0);
  const demand = new Array<number>(days).fill(0);
  for (const change of schedule) {
    const i = index.get(change.date);
    if (i === undefined) continue;
    if (change.kind === 'supply') supply[i]! += change.quantity;
    else demand[i]! += change.quantity;
  }

  const table: AtpDay[] = [];
  let start = onHand;
  for (let i = 0; i < days; i++) {
    // Rounded as every inventory figure is (quantity.ts), so decimal units do not drift.
    const projected = roundQuantity(start + supply[i]! - demand[i]!);
    table.push({
      date: dates[i]!,
      onHand: roundQuantity(start),
      supply: roundQuantity(supply[i]!),
      demand: roundQuantity(demand[i]!),
      projected: roundQuantity(projected),
      atp: 0,
    });
    start = projected;
  }
  // ATP(d) = min(projected(d), ATP(d + 1)): one pass from the end.
  let least = Infinity;
  for (let i = days - 1; i >= 0; i--) {
    least = Math.min(least, table[i]!.projected);
    table[i]!.atp = least;
  }
  return table;
}

/**
 * The first day of the table on which `quantity` can be promised, or undefined when no day of the
 * period can. ATP never falls from one day to the next (each day's is a minimum over fewer days),
 * so from that day on the quantity stays promisable within the period.
 */
export function earliestPromiseDate(table: readonly AtpDay[], quantity: number): string | undefined {
  return table.find((day) => day.atp >= quantity)?.date;
}
