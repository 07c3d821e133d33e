import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handler } from '../shared/http/handlers';
import { pageBody, respond } from '../shared/http/respond';
import { acceptOrder } from '../shared/app/intake/accept-order';
import { createQueuedOrders } from '../shared/app/intake/create-order';
import {
  getClock,
  getIdGenerator,
  getIntakeArchive,
  getIntakeClaims,
  getIntakeQueue,
  getOrderIntakeValidator,
  getOrderLineMeter,
  getOrderRepository,
  getStateFrameworkConfig,
} from '../shared/composition';
import { intakeQueueName } from '../shared/adapters/storage/intake-queue';
import { readJsonBody } from '../shared/http/json-body';
import { orderView, timelineView } from '../shared/http/order-view';
import { problem } from '../shared/http/problem';

const ordersPath = '/api/v1/orders';

/** POST /api/v1/orders: direct intake (DESIGN §7), answered 202 once the order is queued. */
export async function postOrder(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const deps = {
      validate: getOrderIntakeValidator(),
      claims: await getIntakeClaims(),
      archive: getIntakeArchive(),
      queue: getIntakeQueue(),
      ids: getIdGenerator(),
      clock: getClock(),
    };
    const key = request.headers.get('idempotency-key')?.trim() || undefined;
    const accepted = await acceptOrder(deps, body.value, body.text, key);
    const statusUrl = `${ordersPath}/${accepted.orderId}`;
    return { status: 202, headers: { location: statusUrl }, jsonBody: { ...accepted, statusUrl } };
  });
}

export async function getOrder(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const orderId = request.params.orderId ?? '';
    const order = await (await getOrderRepository()).get(orderId);
    if (!order) return problem(404, 'Not found', `No order ${orderId}.`, { slug: 'order-not-found' });
    return { jsonBody: orderView(order) };
  });
}

export const listOrders = handler(async (request) => {
  const externalId = request.query.get('externalId') ?? undefined;
  const state = request.query.get('state') ?? undefined;
  const continuationToken = request.query.get('continuationToken') ?? undefined;
  const top = Number(request.query.get('top') ?? 50);
  if (!Number.isInteger(top) || top < 1 || top > 500) {
    return problem(400, 'Bad request', 'top must be an integer from 1 to 500.', {
      extra: { errors: [{ path: '/top', message: 'must be an integer from 1 to 500' }] },
    });
  }
  const page = await (
    await getOrderRepository()
  ).find(
    { ...(externalId ? { externalId } : {}), ...(state ? { state } : {}) },
    { maxItemCount: top, ...(continuationToken ? { continuationToken } : {}) }
  );
  return {
    jsonBody: pageBody(page, orderView),
  };
});

export const getTimeline = handler(async (request) => {
  const orderId = request.params.orderId ?? '';
  const orders = await getOrderRepository();
  if (!(await orders.get(orderId)))
    return problem(404, 'Not found', `No order ${orderId}.`, { slug: 'order-not-found' });
  return { jsonBody: { items: (await orders.timeline(orderId)).map(timelineView) } };
});

/**
 * The intake queue: creates each queued order once; failures retry, then land on the poison queue,
 * where `recordPoisonedIntake` (functions/errors.ts) puts them on the provider-inbound error list.
 */
export async function createQueuedOrder(message: unknown, context: InvocationContext): Promise<void> {
  const queue = getIntakeQueue();
  const outcomes = await createQueuedOrders(
    {
      validate: getOrderIntakeValidator(),
      archive: getIntakeArchive(),
      orders: await getOrderRepository(),
      clock: getClock(),
      meter: await getOrderLineMeter(),
      config: await getStateFrameworkConfig(),
      requeue: (intake) => queue.sendAlone(intake),
    },
    message
  );
  const requeued = outcomes.filter((outcome) => outcome === 'requeued').length;
  if (requeued > 0)
    context.warn(`${requeued} of ${outcomes.length} intakes failed and were queued again alone`);
}

app.http('postOrder', { route: 'v1/orders', methods: ['POST'], authLevel: 'function', handler: postOrder });
app.http('listOrders', { route: 'v1/orders', methods: ['GET'], authLevel: 'function', handler: listOrders });
app.http('getOrder', {
  route: 'v1/orders/{orderId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getOrder,
});
app.http('getOrderTimeline', {
  route: 'v1/orders/{orderId}/timeline',
  methods: ['GET'],
  authLevel: 'function',
  handler: getTimeline,
});
app.storageQueue('createQueuedOrder', {
  queueName: intakeQueueName,
  connection: 'AzureWebJobsStorage',
  handler: createQueuedOrder,
});
