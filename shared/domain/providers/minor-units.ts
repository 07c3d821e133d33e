/**
 * Providers send money as decimal text ("199.00") or JSON numbers; we keep integer minor units. The
 * conversion works on the decimal digits, never on a binary float, so "0.29" is 29 cents exactly.
 */

/** Digits after the decimal point for a currency (USD 2, JPY 0, KWD 3), from the runtime's ICU data. */
export function currencyExponent(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    throw new RangeError(`"${currency}" is not an ISO 4217 currency code.`);
  }
}

/**
 * `amount` (e.g. "12.5", 12.5, "1,299.00" is refused) in the currency's minor units. More fraction
 * digits than the currency has are refused rather than rounded: a provider sending them means the
 * mapping is wrong, and a silent rounding would hide it.
 */
export function toMinorUnits(amount: unknown, currency: string): number {
  const text =
    typeof amount === 'number' ? numberText(amount) : typeof amount === 'string' ? amount.trim() : '';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) throw new RangeError(`${JSON.stringify(amount)} is not a decimal amount.`);
  const [, sign, whole, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    throw new RangeError(`${text} has more decimals than ${currency} has (${exponent}).`);
  }
  const minor = Number(`${whole}${significant.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${text} ${currency} is too large.`);
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/** A JSON number as the decimal text it was written as (no exponent notation). */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** Minor units as the decimal number a provider's JSON takes (1999 USD → 19.99). */
export function fromMinorUnits(minor: number, currency: string): number {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return Number(exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`);
}

/**
 * An amount a provider calculated (a tax) in minor units, rounded half away from zero at the
 * currency's precision: tax engines may answer more decimals than the currency has.
 */
export function roundToMinorUnits(amount: unknown, currency: string): number {
  const value = typeof amount === 'number' ? amount : typeof amount === 'string' ? Number(amount) : NaN;
  if (!Number.isFinite(value)) throw new RangeError(`${JSON.stringify(amount)} is not a decimal amount.`);
  const scaled = value * 10 ** currencyExponent(currency);
  // The product of a short decimal and a power of ten can land a hair off the integer (7.75 × 100).
  const rounded = Math.sign(scaled) * Math.round(Math.abs(Number(scaled.toPrecision(12))));
  return rounded === 0 ? 0 : rounded;
}
