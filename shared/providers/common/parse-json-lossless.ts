import { isSafeNumber, parse } from 'lossless-json';

/**
 * JSON text parsed so that provider ids survive: a number JavaScript cannot hold exactly (an id beyond
 * 2^53) stays the text it was written as; every other number is a plain number.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, undefined, (value: string) => (isSafeNumber(value) ? Number(value) : value));
}
