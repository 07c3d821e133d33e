/**
 * Quantities are numbers in the product's unit and may have decimals (kg, m). Sums of binary floats
 * drift (0.1 + 0.2 ≠ 0.3), and a drift of 1e-16 would be enough to refuse the last unit or to leave
 * a "negative" measure, so every result of inventory arithmetic is rounded to this many decimals.
 */
export const quantityDecimals = 6;
const scale = 10 ** quantityDecimals;

/** The quantity rounded to `quantityDecimals` places; -0 becomes 0. */
export function roundQuantity(value: number): number {
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** a + b, rounded. */
export function addQuantities(a: number, b: number): number {
  return roundQuantity(a + b);
}

/** a − b, rounded. */
export function subtractQuantities(a: number, b: number): number {
  return roundQuantity(a - b);
}
