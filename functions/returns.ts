import { createReturn } from '../shared/app/returns/create-return';
import { getReturn, listReturns } from '../shared/app/returns/query-returns';
import { recordReturnEvent } from '../shared/app/returns/record-return-event';
import { returnDeps } from '../shared/app/returns/wiring';
import { jsonBody } from '../shared/http/handler';
import { returnView } from '../shared/http/return-view';
import { route } from '../shared/http/route';

/** POST /api/v1/returns: a return of shipped lines; 201 `{returnId, returnLocation, ...}`. */
export const postReturnHandler = route('postReturn', 'POST', 'v1/returns', async (request) => {
  const body = await jsonBody(request);
  const key = request.headers.get('idempotency-key')?.trim() || undefined;
  const { orderReturn, duplicate } = await createReturn(await returnDeps(), body.value, key);
  return {
    status: 201,
    headers: { location: `/api/v1/returns/${orderReturn.id}` },
    jsonBody: { returnId: orderReturn.id, duplicate, ...returnView(orderReturn) },
  };
});

/** GET /api/v1/returns?orderId=: `{items}`, the order's returns, oldest first. */
export const listReturnsHandler = route('listReturns', 'GET', 'v1/returns', async (request) => ({
  jsonBody: {
    items: (await listReturns(await returnDeps(), request.query.get('orderId') ?? undefined)).map(returnView),
  },
}));

/** GET /api/v1/returns/{returnId}: the return, or 404 `return-not-found`. */
export const getReturnHandler = route('getReturn', 'GET', 'v1/returns/{returnId}', async (request) => ({
  jsonBody: returnView(await getReturn(await returnDeps(), request.params.returnId ?? '')),
}));

/** POST /api/v1/returns/{returnId}/events: received, inspected, refunded, cancelled; 200 with the return. */
export const postReturnEventHandler = route(
  'postReturnEvent',
  'POST',
  'v1/returns/{returnId}/events',
  async (request) => {
    const body = await jsonBody(request);
    const { orderReturn, duplicate } = await recordReturnEvent(
      await returnDeps(),
      request.params.returnId ?? '',
      body.value
    );
    return {
      ...(duplicate ? { headers: { 'idempotent-replayed': 'true' } } : {}),
      jsonBody: returnView(orderReturn),
    };
  }
);
