import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { raiseBusinessEvent } from '../shared/app/events/raise-business-event';
import {
  getBusinessEventPublisher,
  getBusinessEventValidator,
  getClock,
  getIdGenerator,
  getOrderRepository,
  getStateFrameworkConfig,
} from '../shared/composition';
import { readJsonBody } from '../shared/http/json-body';
import { respond } from '../shared/http/respond';

/** POST /api/v1/events: an external system raises a named business event on an entity. */
export async function postEvent(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const summary = await raiseBusinessEvent(
      {
        validate: getBusinessEventValidator(),
        orders: await getOrderRepository(),
        publisher: getBusinessEventPublisher(),
        config: await getStateFrameworkConfig(),
        ids: getIdGenerator(),
        clock: getClock(),
      },
      body.value
    );
    return { status: summary.duplicate ? 200 : 201, jsonBody: summary };
  });
}

app.http('postEvent', { route: 'v1/events', methods: ['POST'], authLevel: 'function', handler: postEvent });
