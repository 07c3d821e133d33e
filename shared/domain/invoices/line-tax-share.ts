/**
 * The part of an order line's tax that `quantity` units carry, when `alreadyBilled` units of the
 * line were billed (or credited) before. Shares are differences of rounded cumulative amounts, so
 * the shares of a line billed in parts always add up to exactly the line's tax.
 */
export function lineTaxShare(
  line: { quantity: number; tax?: number },
  alreadyBilled: number,
  quantity: number
): number {
  const tax = line.tax ?? 0;
  if (tax === 0 || line.quantity <= 0) return 0;
  const cumulative = (units: number) => Math.round((tax * Math.min(units, line.quantity)) / line.quantity);
  return cumulative(alreadyBilled + quantity) - cumulative(alreadyBilled);
}
