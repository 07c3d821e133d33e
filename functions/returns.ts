import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { findReturnLocation } from '../shared/app/find-return-location';
import { getReturnLocationDeps } from '../shared/composition';
import { readJsonBody } from '../shared/http/json-body';
import { respond } from '../shared/http/respond';

/** POST /api/v1/returns/locations: where a return should go (changes nothing). */
export async function returnLocationsHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => ({
    jsonBody: await findReturnLocation(await getReturnLocationDeps(), body.value),
  }));
}

app.http('returnLocations', {
  route: 'v1/returns/locations',
  methods: ['POST'],
  authLevel: 'function',
  handler: returnLocationsHandler,
});
