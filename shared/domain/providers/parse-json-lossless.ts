import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses JSON the way provider payloads need it: an integer that a JavaScript number cannot hold
 * exactly (beyond 2^53, as some providers' ids are) becomes a string with the digits exactly as
 * written; every other number stays a number. Invalid JSON throws a SyntaxError naming the position.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (value: string): unknown =>
    isInteger(value) && !isSafeNumber(value) ? value : Number(value)
  );
}
