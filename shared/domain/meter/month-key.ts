/**
 * Months of the meter (docs/data.md: the `meter` container is partitioned by `/month`): `YYYY-MM` in
 * UTC, so an order counts in the same month wherever the worker that created it runs.
 */

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The `YYYY-MM` (UTC) of an instant, given as a Date or an ISO-8601 timestamp. */
export function monthKey(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new Error(`Not a timestamp: ${String(at)}`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new Error(`Year out of range for a month key: ${year}`);
  return `${String(year).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Whether `value` is a well-formed month key (`2026-01` … `2026-12`). */
export function isMonthKey(value: string): boolean {
  return monthPattern.test(value);
}

/** The `count` months ending with the month of `now`, newest first. */
export function lastMonths(now: Date, count: number): string[] {
  const months: string[] = [];
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  for (let back = 0; back < count; back++) {
    months.push(monthKey(new Date(Date.UTC(year, month - back, 1))));
  }
  return months;
}
