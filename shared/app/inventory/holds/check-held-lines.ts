import { ConflictError, PreconditionFailedError } from '../../../domain/errors';
import { earliestPromiseDate, utcDateOf } from '../../../domain/inventory/atp/atp';
import {
  episodeIds,
  episodeOf,
  planRecheck,
  type InventoryHold,
  type RecheckAction,
} from '../../../domain/inventory/holds/holds';
import { TransitionNotAllowedError } from '../../../domain/states/transition-not-allowed-error';
import {
  atpReader,
  availabilityBySku,
  holdEvents,
  preorderTerms,
  raiseLineEvent,
  type HoldDeps,
} from './hold-steps';

export interface CheckHeldLinesOptions {
  /** Cancel backorder lines held this many days (OPENIOM_HOLD_CANCEL_AFTER_DAYS); absent: never. */
  cancelAfterDays?: number;
  /** Only the held lines of these SKUs (a receipt re-checks what it brought); absent: every SKU. */
  skus?: readonly string[];
}

interface HeldLineRef {
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  kind: InventoryHold['kind'];
}

export interface RecheckSummary {
  checkedAt: string;
  /** Lines whose stock was reserved and whose hold was released, in release order (oldest first). */
  released: (HeldLineRef & { sourceId: string; reservationId: string })[];
  /** Preorder lines whose product launched without stock: now on backorder hold. */
  backordered: (HeldLineRef & { estimatedAvailableDate: string | null })[];
  /** Backorder lines cancelled by the SLA. */
  cancelled: HeldLineRef[];
  /** Holds closed because their line left `on hold` by other means (e.g. cancelled by hand). */
  closed: (HeldLineRef & { detail: string })[];
  /** Lines still waiting. */
  kept: number;
  /** Lines whose step failed this time (retried on the next run; every step is idempotent). */
  failed: (HeldLineRef & { detail: string })[];
}

/**
 * The re-check of held lines (the timer job, and `POST /api/v1/inventory/holds/recheck`): releases
 * held lines oldest first per SKU as stock allows (reserve, then Backorder / Preorder Hold Released
 * and On Hand Check Success), moves launched preorders without stock to backorder hold, and cancels
 * backorders held past the SLA (Order Line Cancelled). Each step acts before it records: a run that
 * stops half-way is finished by the next one, with the same ids, so nothing happens twice.
 */
export async function checkHeldLines(
  deps: HoldDeps,
  options: CheckHeldLinesOptions = {}
): Promise<RecheckSummary> {
  const now = deps.clock.now();
  const held = await deps.holds.held(options.skus);
  const skus = [...new Set(held.map((h) => h.sku))];
  const preorderSkus = [...new Set(held.filter((h) => h.kind === 'preorder').map((h) => h.sku))];
  const [availability, preorders] = await Promise.all([
    availabilityBySku(deps, skus),
    preorderTerms(deps, preorderSkus),
  ]);
  const actions = planRecheck({
    holds: held,
    availability,
    preorders,
    now,
    ...(options.cancelAfterDays === undefined ? {} : { cancelAfterDays: options.cancelAfterDays }),
  });

  const summary: RecheckSummary = {
    checkedAt: now.toISOString(),
    released: [],
    backordered: [],
    cancelled: [],
    closed: [],
    kept: 0,
    failed: [],
  };
  const atpOf = atpReader(deps, utcDateOf(now));
  // Strict first come, first served also when the plan meets reality: once a SKU's release fails,
  // its younger lines wait for the next run.
  const stopped = new Set<string>();
  for (const action of actions) {
    const { hold } = action;
    if (action.kind === 'keep' || (action.kind === 'release' && stopped.has(hold.sku))) {
      summary.kept++;
      continue;
    }
    try {
      if (action.kind === 'release') {
        if (!(await release(deps, action, now, summary))) {
          stopped.add(hold.sku);
          summary.kept++;
        }
      } else if (action.kind === 'cancel') {
        await cancel(deps, hold, now, summary);
      } else {
        await launchToBackorder(deps, hold, now, atpOf, summary);
      }
    } catch (err) {
      if (action.kind === 'release') stopped.add(hold.sku);
      summary.failed.push({ ...refOf(hold), detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return summary;
}

/** Reserves and releases; false when the stock was gone after all (the line keeps waiting). */
async function release(
  deps: HoldDeps,
  action: Extract<RecheckAction, { kind: 'release' }>,
  now: Date,
  summary: RecheckSummary
): Promise<boolean> {
  const { hold } = action;
  const episode = episodeOf(hold);
  const reservationId = episodeIds.reservation(episode);
  const reserved = await deps.reservations.reserve({
    id: reservationId,
    sku: hold.sku,
    sourceId: action.sourceId,
    quantity: hold.quantity,
  });
  if (!reserved.reserved) return false;
  // An earlier run may have reserved elsewhere before it stopped; that reservation is the one.
  const sourceId = reserved.sourceId;
  const data = { reservationId, sourceId, quantity: hold.quantity };
  try {
    await raiseLineEvent(deps, {
      id: episodeIds.released(episode),
      name: hold.kind === 'preorder' ? holdEvents.preorderReleased : holdEvents.backorderReleased,
      orderId: hold.orderId,
      lineId: hold.lineId,
      data,
    });
    await raiseLineEvent(deps, {
      id: episodeIds.reserved(episode),
      name: holdEvents.reserved,
      orderId: hold.orderId,
      lineId: hold.lineId,
      data,
    });
  } catch (err) {
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    await deps.reservations.unreserve(reservationId, hold.sku);
    await close(deps, hold, now, summary, err.message);
    return true;
  }
  const at = now.toISOString();
  await saveHold(deps, hold, {
    ...hold,
    state: 'released',
    releasedAt: at,
    reservation: { reservationId, sourceId },
    updatedAt: at,
  });
  summary.released.push({ ...refOf(hold), sourceId, reservationId });
  return true;
}

async function cancel(
  deps: HoldDeps,
  hold: InventoryHold,
  now: Date,
  summary: RecheckSummary
): Promise<void> {
  try {
    await raiseLineEvent(deps, {
      id: episodeIds.cancelled(episodeOf(hold)),
      name: holdEvents.cancelled,
      orderId: hold.orderId,
      lineId: hold.lineId,
      data: { reason: 'backorder cancellation SLA', heldAt: hold.heldAt },
    });
  } catch (err) {
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    await close(deps, hold, now, summary, err.message);
    return;
  }
  const at = now.toISOString();
  await saveHold(deps, hold, {
    ...hold,
    state: 'cancelled',
    cancelledAt: at,
    closeReason: 'Held longer than the cancellation SLA.',
    updatedAt: at,
  });
  summary.cancelled.push(refOf(hold));
}

/** A launched preorder without stock: Preorder Hold Released, then a backorder episode keeping its place in the queue. */
async function launchToBackorder(
  deps: HoldDeps,
  hold: InventoryHold,
  now: Date,
  atpOf: ReturnType<typeof atpReader>,
  summary: RecheckSummary
): Promise<void> {
  const tables = (await atpOf(hold.sku)).filter(
    (t) => hold.sourceId === undefined || t.sourceId === hold.sourceId
  );
  const dates = tables
    .map((t) => earliestPromiseDate(t.days, hold.quantity))
    .filter((d): d is string => d !== undefined)
    .sort();
  const estimatedAvailableDate = dates[0] ?? null;
  const at = now.toISOString();
  const backorder: InventoryHold = {
    ...hold,
    kind: 'backorder',
    episodeNumber: hold.episodeNumber + 1,
    heldAt: at,
    estimatedAvailableDate,
    updatedAt: at,
  };
  try {
    await raiseLineEvent(deps, {
      id: episodeIds.released(episodeOf(hold)),
      name: holdEvents.preorderReleased,
      orderId: hold.orderId,
      lineId: hold.lineId,
      data: { launchDate: hold.launchDate },
    });
    await raiseLineEvent(deps, {
      id: episodeIds.applied(episodeOf(backorder)),
      name: holdEvents.backorderApplied,
      orderId: hold.orderId,
      lineId: hold.lineId,
      data: { estimatedAvailableDate },
    });
  } catch (err) {
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    await close(deps, hold, now, summary, err.message);
    return;
  }
  await saveHold(deps, hold, backorder);
  summary.backordered.push({ ...refOf(hold), estimatedAvailableDate });
}

/** The line is no longer on hold (someone moved it): the hold record follows, without acting on the line. */
async function close(
  deps: HoldDeps,
  hold: InventoryHold,
  now: Date,
  summary: RecheckSummary,
  detail: string
): Promise<void> {
  const at = now.toISOString();
  await saveHold(deps, hold, {
    ...hold,
    state: 'cancelled',
    cancelledAt: at,
    closeReason: detail,
    updatedAt: at,
  });
  summary.closed.push({ ...refOf(hold), detail });
}

/**
 * Stores the hold's next version. The record read at the start of the run may have moved on (a
 * concurrent re-check finished the same step): then the newer record stands.
 */
async function saveHold(deps: HoldDeps, read: InventoryHold, next: InventoryHold): Promise<void> {
  const current = await deps.holds.get(read.sku, read.id);
  if (
    current === undefined ||
    current.hold.episodeNumber !== read.episodeNumber ||
    current.hold.state !== 'held'
  ) {
    return;
  }
  try {
    await deps.holds.replace(next, current.etag);
  } catch (err) {
    if (!(err instanceof PreconditionFailedError || err instanceof ConflictError)) throw err;
  }
}

function refOf(hold: InventoryHold): HeldLineRef {
  return {
    orderId: hold.orderId,
    lineId: hold.lineId,
    sku: hold.sku,
    quantity: hold.quantity,
    kind: hold.kind,
  };
}
