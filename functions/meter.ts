import { readMeterMonth, readMeterRecent } from '../shared/app/meter/read-meter';
import { readMeterDeps } from '../shared/app/meter/wiring';
import { route } from '../shared/http/route';

/**
 * `GET /api/v1/meter?month=YYYY-MM` → `{month, orderLines, orders}` (zeros for a month without
 * orders; 400 problem for a malformed month). Without `month`: `{items}`, the last 12 months, this
 * one first. Months are UTC; an order counts in the month it was created.
 */
export const getMeter = route('getMeter', 'GET', 'v1/meter', async (request) => {
  const deps = await readMeterDeps();
  const month = request.query.get('month');
  if (month !== null) return { jsonBody: await readMeterMonth(deps, month) };
  return { jsonBody: { items: await readMeterRecent(deps) } };
});
