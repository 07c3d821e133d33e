import { findReturnLocation } from '../shared/app/fulfillment/find-return-location';
import { getReturnLocationDeps } from '../shared/app/fulfillment/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** POST /api/v1/returns/locations: where a return should go (changes nothing). */
export const returnLocationsHandler = route(
  'returnLocations',
  'POST',
  'v1/returns/locations',
  async (request) => {
    const body = await jsonBody(request);
    return { jsonBody: await findReturnLocation(await getReturnLocationDeps(), body.value) };
  }
);
