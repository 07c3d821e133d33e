import { ValidationError, type ValidationIssue } from '../errors';

/** One price: `unitPrice` in minor units of the list's currency, from `minQuantity` units on. */
export interface Price {
  sku: string;
  unitPrice: number;
  /** The unit the price is per (the product's base unit when absent). */
  unit?: string;
  /** The price applies from this quantity on (default 1): quantity breaks are prices of their own. */
  minQuantity?: number;
}

/**
 * A price list, or a part of one: a file row carries one price, a JSON item any number. Prices
 * merge into the stored list by (sku, unit, minQuantity); an import never removes a price.
 */
export interface PriceListInput {
  priceListId: string;
  /** ISO 4217; one per list. */
  currency: string;
  name?: string;
  prices?: Price[];
}

export interface PriceList {
  priceListId: string;
  currency: string;
  name?: string;
  /** Ordered by sku, unit, minQuantity. */
  prices: Price[];
  createdAt: string;
  updatedAt: string;
}

/** Most prices one list holds (a stored document stays well under Cosmos' 2 MB). */
export const maxPricesPerList = 10_000;

/**
 * The list `existing` becomes with the parts given merged in, in order (a later part's price for the
 * same sku, unit and minQuantity wins; its name replaces the name). Throws a ValidationError when
 * the parts' currency differs from each other's or the stored list's.
 */
export function priceListFromInputs(
  parts: readonly PriceListInput[],
  existing: PriceList | undefined,
  now: Date
): PriceList {
  const first = parts[0];
  if (first === undefined) throw new Error('priceListFromInputs needs at least one part');
  const currency = existing?.currency ?? first.currency;
  const issues: ValidationIssue[] = [];
  if (parts.some((part) => part.currency !== currency)) {
    issues.push({
      path: '/currency',
      message: `differs from the price list's currency ${currency} (a price list has one currency)`,
    });
  }
  const prices = new Map<string, Price>();
  for (const price of existing?.prices ?? []) prices.set(priceKey(price), price);
  let name = existing?.name;
  for (const part of parts) {
    if (part.name !== undefined) name = part.name;
    for (const price of part.prices ?? []) prices.set(priceKey(price), copyPrice(price));
  }
  if (prices.size > maxPricesPerList) {
    issues.push({
      path: '/prices',
      message: `would hold ${prices.size} prices; at most ${maxPricesPerList}`,
    });
  }
  if (issues.length > 0) throw new ValidationError('The price list is not valid.', issues);
  const at = now.toISOString();
  return {
    priceListId: first.priceListId,
    currency,
    ...(name === undefined ? {} : { name }),
    prices: [...prices.values()].sort(comparePrices),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}

function priceKey(price: Price): string {
  return JSON.stringify([price.sku, price.unit ?? '', price.minQuantity ?? 1]);
}

function copyPrice(price: Price): Price {
  return {
    sku: price.sku,
    unitPrice: price.unitPrice,
    ...(price.unit === undefined ? {} : { unit: price.unit }),
    ...(price.minQuantity === undefined ? {} : { minQuantity: price.minQuantity }),
  };
}

function comparePrices(a: Price, b: Price): number {
  return (
    compareText(a.sku, b.sku) ||
    compareText(a.unit ?? '', b.unit ?? '') ||
    (a.minQuantity ?? 1) - (b.minQuantity ?? 1)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
