/**
 * Strict ISO 8601 parsing for comparisons: `YYYY-MM-DD` (UTC midnight) or a date-time with an explicit
 * offset. `Date.parse` is not used because it rolls `2024-02-30` over into March and reads offset-less
 * date-times in the machine's time zone, which would make a verdict depend on where it runs.
 */

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/** Milliseconds since the epoch, or NaN when `text` is not a strict ISO date. */
export function parseIsoDate(text: string): number {
  // Cheap pre-check: most strings compared by policies are not dates.
  if (text.length < 10 || text.charCodeAt(4) !== 45 /* - */) return NaN;
  const m = ISO_DATE.exec(text);
  if (m === null) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  // setUTCFullYear rather than Date.UTC, which maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // Day 31 of a 30-day month rolls over into the next month; the round trip catches it.
  if (date.getUTCDate() !== day) return NaN;
  const utc = date.setUTCHours(hour, minute, second, millis);
  if (m[8] === undefined || m[8] === 'Z') return utc;
  const offsetHours = Number(m[10]);
  const offsetMinutes = Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return NaN;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return m[9] === '+' ? utc - offset : utc + offset;
}
