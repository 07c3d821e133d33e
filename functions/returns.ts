import { app } from '@azure/functions';
import { jsonHandler } from '../shared/http/handlers';
import { findReturnLocation } from '../shared/app/fulfillment/find-return-location';
import { getReturnLocationDeps } from '../shared/composition';

/** POST /api/v1/returns/locations: where a return should go (changes nothing). */
export const returnLocationsHandler = jsonHandler(async (_request, body) => ({
  jsonBody: await findReturnLocation(await getReturnLocationDeps(), body),
}));

app.http('returnLocations', {
  route: 'v1/returns/locations',
  methods: ['POST'],
  authLevel: 'function',
  handler: returnLocationsHandler,
});
