import {
  deleteSchedule,
  getSchedule,
  listSchedules,
  putSchedule,
} from '../shared/app/inventory/schedules/inventory-schedules';
import { scheduleDeps } from '../shared/app/inventory/schedules/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import {
  ifMatchOf,
  putAnswer,
  versionedAnswer,
  writePreconditionsOf,
} from '../shared/http/versioned-resource';

const schedulesPath = '/api/v1/inventory/schedules';
const one = 'v1/inventory/schedules/{id}';

/** PUT /api/v1/inventory/schedules/{id}: create (201) or replace (200) a dated future supply or demand. */
export const putScheduleHandler = route('putInventorySchedule', 'PUT', one, async (request) => {
  const body = await jsonBody(request);
  const result = await putSchedule(
    await scheduleDeps(),
    request.params.id ?? '',
    body.value,
    writePreconditionsOf(request)
  );
  return putAnswer(schedulesPath, result.schedule.id, result.schedule, result);
});

/** GET /api/v1/inventory/schedules/{id}: the entry with its ETag, or 404. */
export const getScheduleHandler = route('getInventorySchedule', 'GET', one, async (request) => {
  const found = await getSchedule(await scheduleDeps(), request.params.id ?? '');
  return versionedAnswer(found.schedule, found.etag);
});

/** DELETE /api/v1/inventory/schedules/{id}: 204, 404 when absent, 412 when If-Match names another version. */
export const deleteScheduleHandler = route('deleteInventorySchedule', 'DELETE', one, async (request) => {
  await deleteSchedule(await scheduleDeps(), request.params.id ?? '', ifMatchOf(request));
  return { status: 204 };
});

/** GET /api/v1/inventory/schedules?sku=&sourceId=&from=&to=: one SKU's entries by date. */
export const listSchedulesHandler = route(
  'listInventorySchedules',
  'GET',
  'v1/inventory/schedules',
  async (request) => {
    const items = await listSchedules(await scheduleDeps(), Object.fromEntries(request.query.entries()));
    return { jsonBody: { items } };
  }
);
