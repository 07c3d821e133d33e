/**
 * Value mappings (a mapping group): how an external system's values become ours, per type — its SKU
 * "IPOD2008PINK" is our "ipod-pink", its warehouse "WH-1" our source "seattle". A value with no mapping
 * is used as it is; whether it names something of ours is checked after the transformation ran.
 */

export const mappingTypes = [
  'sku',
  'source',
  'unit',
  'channel',
  'shippingMethod',
  'paymentTerm',
  'currency',
  'country',
  'account',
] as const;
export type MappingType = (typeof mappingTypes)[number];

export interface ValueMapping {
  type: MappingType;
  external: string;
  internal: string;
}

export interface MappingGroup {
  id: string;
  name?: string;
  mappings: ValueMapping[];
  createdAt?: string;
  updatedAt?: string;
}

/** A value a transformation asked to map that had no mapping (so it passed through unchanged). */
export interface UnmappedValue {
  type: string;
  value: string;
}

/** Looks values up in one mapping group and remembers which ones it could not map. */
export class ValueLookup {
  readonly #byType = new Map<string, Map<string, string>>();
  readonly #unmapped = new Map<string, UnmappedValue>();

  constructor(mappings: readonly ValueMapping[]) {
    for (const { type, external, internal } of mappings) {
      let values = this.#byType.get(type);
      if (values === undefined) this.#byType.set(type, (values = new Map<string, string>()));
      values.set(external, internal);
    }
  }

  /** The internal value for `external`, or `external` itself (recorded as unmapped). */
  map(type: string, external: unknown): unknown {
    if (external === undefined || external === null) return external;
    const text = typeof external === 'string' ? external : JSON.stringify(external);
    const internal = this.#byType.get(type)?.get(text);
    if (internal !== undefined) return internal;
    this.#unmapped.set(`${type}\u0000${text}`, { type, value: text });
    return typeof external === 'number' ? text : external;
  }

  /** Every value that passed through without a mapping, in the order first asked for. */
  unmapped(): UnmappedValue[] {
    return [...this.#unmapped.values()];
  }
}

/** Mappings whose (type, external) pair repeats: a group must say one thing per external value. */
export function repeatedMappings(mappings: readonly ValueMapping[]): { index: number; first: number }[] {
  const seen = new Map<string, number>();
  const repeats: { index: number; first: number }[] = [];
  mappings.forEach(({ type, external }, index) => {
    const key = `${type}\u0000${external}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else repeats.push({ index, first });
  });
  return repeats;
}
