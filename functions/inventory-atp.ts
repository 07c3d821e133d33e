import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { computeAtp } from '../shared/app/compute-atp';
import { deleteSchedule, getSchedule, listSchedules, putSchedule } from '../shared/app/inventory-schedules';
import {
  getAtpDeps,
  getClock,
  getInventoryScheduleStore,
  getScheduleValidators,
} from '../shared/composition';
import { readJsonBody } from '../shared/http/json-body';
import { parseEntityTags } from '../shared/app/entity-tags';
import { respond } from '../shared/http/respond';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const schedulesPath = '/api/v1/inventory/schedules';

/** PUT /api/v1/inventory/schedules/{id}: create (201) or replace (200) a dated future supply or demand. */
export async function putScheduleHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const deps = {
      validators: getScheduleValidators(),
      schedules: await getInventoryScheduleStore(),
      clock: getClock(),
    };
    const result = await putSchedule(
      deps,
      request.params.id ?? '',
      body.value,
      writePreconditionsOf(request)
    );
    return putAnswer(schedulesPath, result.schedule.id, result.schedule, result);
  });
}

/** GET /api/v1/inventory/schedules/{id}: the entry with its ETag, or 404. */
export async function getScheduleHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { validators: getScheduleValidators(), schedules: await getInventoryScheduleStore() };
    const found = await getSchedule(deps, request.params.id ?? '');
    return versionedAnswer(found.schedule, found.etag);
  });
}

/** DELETE /api/v1/inventory/schedules/{id}: 204, 404 when absent, 412 when If-Match names another version. */
export async function deleteScheduleHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { validators: getScheduleValidators(), schedules: await getInventoryScheduleStore() };
    await deleteSchedule(deps, request.params.id ?? '', parseEntityTags(request.headers.get('if-match')));
    return { status: 204 };
  });
}

/** GET /api/v1/inventory/schedules?sku=&sourceId=&from=&to=: one SKU's entries by date. */
export async function listSchedulesHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { validators: getScheduleValidators(), schedules: await getInventoryScheduleStore() };
    const items = await listSchedules(deps, Object.fromEntries(request.query.entries()));
    return { jsonBody: { items } };
  });
}

/** POST /api/v1/inventory/atp: `{skus, sourceIds?, days?}` → per SKU and source, per day on-hand, supply, demand, ATP. */
export async function atpHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => ({ jsonBody: await computeAtp(await getAtpDeps(), body.value) }));
}

app.http('putInventorySchedule', {
  route: 'v1/inventory/schedules/{id}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putScheduleHandler,
});
app.http('getInventorySchedule', {
  route: 'v1/inventory/schedules/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getScheduleHandler,
});
app.http('deleteInventorySchedule', {
  route: 'v1/inventory/schedules/{id}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: deleteScheduleHandler,
});
app.http('listInventorySchedules', {
  route: 'v1/inventory/schedules',
  methods: ['GET'],
  authLevel: 'function',
  handler: listSchedulesHandler,
});
app.http('inventoryAtp', {
  route: 'v1/inventory/atp',
  methods: ['POST'],
  authLevel: 'function',
  handler: atpHandler,
});
