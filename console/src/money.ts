/** An amount in minor units (as the API keeps money) in the currency's own format. */
export function money(minor: number | undefined, currency: string): string {
  if (minor === undefined) return '';
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    return `${minor} ${currency} (minor units)`;
  }
}
