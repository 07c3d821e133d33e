import { app, type InvocationContext, type Timer } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import { checkHeldLines } from '../shared/app/inventory/holds/check-held-lines';
import { holdOrderLines } from '../shared/app/inventory/holds/hold-order-lines';
import { loadHoldSettings } from '../shared/app/inventory/holds/hold-settings';
import { listHolds } from '../shared/app/inventory/holds/list-holds';
import {
  getHoldDeps,
  getHoldSettings,
  getHoldValidators,
  getInventoryHoldStore,
} from '../shared/composition';
import { pageBody } from '../shared/http/respond';

/** POST /api/v1/inventory/holds/check: `{orderId, lineIds?, sourceId?}` → per line reserved, backorder or preorder hold. */
export const checkOrderLinesHandler = jsonHandler(async (_request, body) => {
  const deps = { ...(await getHoldDeps()), validate: getHoldValidators().check };
  return { jsonBody: await holdOrderLines(deps, body) };
});

/** POST /api/v1/inventory/holds/recheck: the re-check job, now; answers what it released, backordered and cancelled. */
export const recheckHoldsHandler = handler(async () => ({
  jsonBody: await checkHeldLines(await getHoldDeps(), getHoldSettings()),
}));

/** GET /api/v1/inventory/holds?state=&sku=&top=&continuationToken=: hold records, oldest first. */
export const listHoldsHandler = handler(async (request) => {
  const deps = { validate: getHoldValidators().list, holds: await getInventoryHoldStore() };
  const page = await listHolds(deps, Object.fromEntries(request.query.entries()));
  return { jsonBody: pageBody(page, (hold) => hold) };
});

/** The timer: re-checks held lines (daily at 02:00 UTC unless OPENIOM_HOLD_RECHECK_SCHEDULE says otherwise). */
export async function recheckHoldsTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const summary = await checkHeldLines(await getHoldDeps(), getHoldSettings());
  context.log(
    `held lines re-checked: ${summary.released.length} released, ${summary.backordered.length} backordered, ` +
      `${summary.cancelled.length} cancelled, ${summary.closed.length} closed, ${summary.kept} kept, ${summary.failed.length} failed`
  );
  for (const failure of summary.failed) {
    context.warn(`re-check of ${failure.orderId}/${failure.lineId} failed: ${failure.detail}`);
  }
}

app.http('checkInventoryHolds', {
  route: 'v1/inventory/holds/check',
  methods: ['POST'],
  authLevel: 'function',
  handler: checkOrderLinesHandler,
});
app.http('recheckInventoryHolds', {
  route: 'v1/inventory/holds/recheck',
  methods: ['POST'],
  authLevel: 'function',
  handler: recheckHoldsHandler,
});
app.http('listInventoryHolds', {
  route: 'v1/inventory/holds',
  methods: ['GET'],
  authLevel: 'function',
  handler: listHoldsHandler,
});
// The schedule is fixed when the app loads (as Azure reads a timer's schedule); a bad value stops the load.
app.timer('recheckInventoryHoldsTimer', {
  schedule: loadHoldSettings(process.env).recheckSchedule,
  handler: recheckHoldsTimer,
});
