/**
 * Strict ISO 8601 parsing for comparisons: `YYYY-MM-DD` (UTC midnight) or a date-time
 * `YYYY-MM-DDThh:mm[:ss[.fraction]]` with an explicit `Z` / `±hh:mm` offset.
 *
 * Why not `Date.parse`: it rolls `2024-02-30` over into March and reads offset-less date-times in the
 * machine's time zone, which would make a verdict depend on where it runs. Why not a regex: a rule such
 * as `lines[all].requestedShipDate lessThan "2025-01-01"` parses one date per line per evaluation, and
 * reading character codes is about twenty times faster than a regex plus Date objects.
 */

const DIGIT_0 = 48;
const DAY_MS = 86_400_000;

/** Milliseconds since the epoch, or NaN when `text` is not a strict ISO date. */
export function parseIsoDate(text: string): number {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(7) !== 45) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  // Written as a positive test so that NaN (a non-digit) fails it too.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  const date = daysFromCivil(year, month, day) * DAY_MS;
  if (length === 10) return date;

  if (length < 17 || text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(13) !== 58 /* : */) return NaN;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  let second = 0;
  let millis = 0;
  let at = 16;
  if (text.charCodeAt(at) === 58 /* : */) {
    second = digits(text, 17, 2);
    at = 19;
    if (text.charCodeAt(at) === 46 /* . */) {
      const start = ++at;
      while (at < length && isDigit(text.charCodeAt(at))) at++;
      const count = at - start;
      if (count < 1 || count > 9) return NaN;
      // Milliseconds from the first three fraction digits, padded: ".25" is 250 ms; finer digits are dropped.
      millis = digits((text.slice(start, Math.min(at, start + 3)) + '00').slice(0, 3), 0, 3);
    }
  }
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  const local = date + ((hour * 60 + minute) * 60 + second) * 1000 + millis;

  const sign = text.charCodeAt(at);
  if (sign === 90 /* Z */) return at + 1 === length ? local : NaN;
  if ((sign !== 43 /* + */ && sign !== 45) /* - */ || at + 6 !== length || text.charCodeAt(at + 3) !== 58)
    return NaN;
  const offsetHours = digits(text, at + 1, 2);
  const offsetMinutes = digits(text, at + 4, 2);
  if (!(offsetHours <= 23 && offsetMinutes <= 59)) return NaN;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return sign === 43 ? local - offset : local + offset;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_0 + 9;
}

/** The decimal number in text[start, start + count), or NaN if any character there is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return NaN;
    value = value * 10 + (code - DIGIT_0);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
