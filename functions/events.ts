import { raiseBusinessEvent } from '../shared/app/events/raise-business-event';
import { raiseEventDeps } from '../shared/app/events/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** POST /api/v1/events: an external system raises a named business event on an entity. */
export const postEvent = route('postEvent', 'POST', 'v1/events', async (request) => {
  const body = await jsonBody(request);
  const summary = await raiseBusinessEvent(await raiseEventDeps(), body.value);
  return { status: summary.duplicate ? 200 : 201, jsonBody: summary };
});
