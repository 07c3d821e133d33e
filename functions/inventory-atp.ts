import { computeAtp } from '../shared/app/inventory/atp/compute-atp';
import { getAtpDeps } from '../shared/app/inventory/atp/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** POST /api/v1/inventory/atp: `{skus, sourceIds?, days?}` → per SKU and source, per day on-hand, supply, demand, ATP. */
export const atpHandler = route('inventoryAtp', 'POST', 'v1/inventory/atp', async (request) => {
  const body = await jsonBody(request);
  return { jsonBody: await computeAtp(await getAtpDeps(), body.value) };
});
