const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });

/** The fields of a postal address (ship-to, source address): postal code and ISO 3166-1 alpha-2 country required. */
export const postalAddressProperties = {
  line1: text(200),
  line2: text(200),
  city: text(100),
  state: text(100),
  postalCode: text(20),
  country: { type: 'string', pattern: '^[A-Z]{2}$' },
} as const;

/** Latitude and longitude, in degrees. */
export const pointProperties = {
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lon: { type: 'number', minimum: -180, maximum: 180 },
} as const;

/** A postal address. */
export function postalAddressSchema() {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['postalCode', 'country'],
    properties: { ...postalAddressProperties },
  };
}

/** A postal address with optional coordinates (both or neither); without them the postal code is geocoded. */
export function addressWithPointSchema() {
  return {
    ...postalAddressSchema(),
    properties: { ...postalAddressProperties, ...pointProperties },
    dependencies: { lat: ['lon'], lon: ['lat'] },
  };
}
