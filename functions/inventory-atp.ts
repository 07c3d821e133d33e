import { app } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import { computeAtp } from '../shared/app/inventory/atp/compute-atp';
import { deleteSchedule, getSchedule, listSchedules, putSchedule } from '../shared/app/inventory/schedules/inventory-schedules';
import {
  getAtpDeps,
  getClock,
  getInventoryScheduleStore,
  getScheduleValidators,
} from '../shared/composition';
import { parseEntityTags } from '../shared/app/common/entity-tags';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const schedulesPath = '/api/v1/inventory/schedules';

/** PUT /api/v1/inventory/schedules/{id}: create (201) or replace (200) a dated future supply or demand. */
export const putScheduleHandler = jsonHandler(async (request, body) => {
  const deps = {
    validators: getScheduleValidators(),
    schedules: await getInventoryScheduleStore(),
    clock: getClock(),
  };
  const result = await putSchedule(deps, request.params.id ?? '', body, writePreconditionsOf(request));
  return putAnswer(schedulesPath, result.schedule.id, result.schedule, result);
});

/** GET /api/v1/inventory/schedules/{id}: the entry with its ETag, or 404. */
export const getScheduleHandler = handler(async (request) => {
  const deps = { validators: getScheduleValidators(), schedules: await getInventoryScheduleStore() };
  const found = await getSchedule(deps, request.params.id ?? '');
  return versionedAnswer(found.schedule, found.etag);
});

/** DELETE /api/v1/inventory/schedules/{id}: 204, 404 when absent, 412 when If-Match names another version. */
export const deleteScheduleHandler = handler(async (request) => {
  const deps = { validators: getScheduleValidators(), schedules: await getInventoryScheduleStore() };
  await deleteSchedule(deps, request.params.id ?? '', parseEntityTags(request.headers.get('if-match')));
  return { status: 204 };
});

/** GET /api/v1/inventory/schedules?sku=&sourceId=&from=&to=: one SKU's entries by date. */
export const listSchedulesHandler = handler(async (request) => {
  const deps = { validators: getScheduleValidators(), schedules: await getInventoryScheduleStore() };
  const items = await listSchedules(deps, Object.fromEntries(request.query.entries()));
  return { jsonBody: { items } };
});

/** POST /api/v1/inventory/atp: `{skus, sourceIds?, days?}` → per SKU and source, per day on-hand, supply, demand, ATP. */
export const atpHandler = jsonHandler(async (_request, body) => ({
  jsonBody: await computeAtp(await getAtpDeps(), body),
}));

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
