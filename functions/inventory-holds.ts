import { app, type InvocationContext, type Timer } from '@azure/functions';
import { checkHeldLines } from '../shared/app/inventory/holds/check-held-lines';
import { holdOrderLines } from '../shared/app/inventory/holds/hold-order-lines';
import { listHolds } from '../shared/app/inventory/holds/list-holds';
import {
  getHoldDeps,
  holdOrderLinesDeps,
  holdSettings,
  listHoldsDeps,
} from '../shared/app/inventory/holds/wiring';
import { jsonBody, pageBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** POST /api/v1/inventory/holds/check: `{orderId, lineIds?, sourceId?}` → per line reserved, backorder or preorder hold. */
export const checkOrderLinesHandler = route(
  'checkInventoryHolds',
  'POST',
  'v1/inventory/holds/check',
  async (request) => {
    const body = await jsonBody(request);
    return { jsonBody: await holdOrderLines(await holdOrderLinesDeps(), body.value) };
  }
);

/** POST /api/v1/inventory/holds/recheck: the re-check job, now; answers what it released, backordered and cancelled. */
export const recheckHoldsHandler = route(
  'recheckInventoryHolds',
  'POST',
  'v1/inventory/holds/recheck',
  async () => ({
    jsonBody: await checkHeldLines(await getHoldDeps(), holdSettings()),
  })
);

/** GET /api/v1/inventory/holds?state=&sku=&top=&continuationToken=: hold records, oldest first. */
export const listHoldsHandler = route('listInventoryHolds', 'GET', 'v1/inventory/holds', async (request) => {
  const page = await listHolds(await listHoldsDeps(), Object.fromEntries(request.query.entries()));
  return { jsonBody: pageBody(page, (hold) => hold) };
});

/** The timer: re-checks held lines (daily at 02:00 UTC unless OPENIOM_HOLD_RECHECK_SCHEDULE says otherwise). */
export async function recheckHoldsTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const summary = await checkHeldLines(await getHoldDeps(), holdSettings());
  context.log(
    `held lines re-checked: ${summary.released.length} released, ${summary.backordered.length} backordered, ` +
      `${summary.cancelled.length} cancelled, ${summary.closed.length} closed, ${summary.kept} kept, ${summary.failed.length} failed`
  );
  for (const failure of summary.failed) {
    context.warn(`re-check of ${failure.orderId}/${failure.lineId} failed: ${failure.detail}`);
  }
}

// The schedule is fixed when the app loads (as Azure reads a timer's schedule); a bad value stops the load.
app.timer('recheckInventoryHoldsTimer', {
  schedule: holdSettings().recheckSchedule,
  handler: recheckHoldsTimer,
});
