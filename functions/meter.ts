import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { readMeterMonth, readMeterRecent } from '../shared/app/meter/read-meter';
import { getClock, getOrderLineMeter } from '../shared/composition';
import { respond } from '../shared/http/respond';

/**
 * `GET /api/v1/meter?month=YYYY-MM` → `{month, orderLines, orders}` (zeros for a month without
 * orders; 400 problem for a malformed month). Without `month`: `{items}`, the last 12 months, this
 * one first. Months are UTC; an order counts in the month it was created.
 */
export async function getMeter(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { meter: await getOrderLineMeter(), clock: getClock() };
    const month = request.query.get('month');
    if (month !== null) return { jsonBody: await readMeterMonth(deps, month) };
    return { jsonBody: { items: await readMeterRecent(deps) } };
  });
}

app.http('getMeter', { route: 'v1/meter', methods: ['GET'], authLevel: 'function', handler: getMeter });
