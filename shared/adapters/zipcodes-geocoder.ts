import zipcodes from 'zipcodes';
import type { Geocoder } from '../domain/fulfillment/source';

/**
 * Offline geocoding of US and Canadian postal codes with the `zipcodes` package's bundled table.
 * Anything it does not know is undefined — never a point at 0,0.
 */
export const zipcodesGeocoder: Geocoder = (postalCode, country) => {
  if (country !== 'US' && country !== 'CA') return undefined;
  const code = country === 'US' ? postalCode.trim().slice(0, 5) : postalCode.trim().toUpperCase();
  const found = zipcodes.lookup(code);
  // The table spells Canada out and the US as a code.
  if (found === undefined || found.country !== (country === 'US' ? 'US' : 'Canada')) return undefined;
  return { lat: found.latitude, lon: found.longitude };
};
