import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../domain/errors';
import { utcDateOf } from '../../../domain/inventory/atp/atp';
import {
  decideLine,
  episodeIds,
  episodeOf,
  lineCheckIds,
  lineKeyOf,
  type HoldKind,
  type InventoryHold,
  type LineDecision,
  type SourceAvailability,
} from '../../../domain/inventory/holds/holds';
import type { Order, OrderLine } from '../../../domain/orders/order';
import { TransitionNotAllowedError } from '../../../domain/states/transition-not-allowed-error';
import type { HoldCheckRequest } from '../../../schemas/inventory-hold.schema';
import {
  atpReader,
  availabilityBySku,
  holdEvents,
  onHoldState,
  preorderTerms,
  raiseLineEvent,
  refusal,
  type HoldDeps,
} from './hold-steps';

export interface HoldOrderLinesDeps extends HoldDeps {
  validate: (input: unknown) => HoldCheckRequest;
}

export type LineCheckOutcome = 'reserved' | 'backorder-hold' | 'preorder-hold' | 'not-checked';

export interface LineCheckResult {
  lineId: string;
  sku: string;
  quantity: number;
  outcome: LineCheckOutcome;
  /** reserved */
  sourceId?: string;
  reservationId?: string;
  /** backorder-hold */
  estimatedAvailableDate?: string | null;
  /** preorder-hold */
  launchDate?: string;
  /** The line was already held before this call. */
  alreadyHeld?: boolean;
  /** not-checked: why. */
  detail?: string;
}

/**
 * `POST /api/v1/inventory/holds/check` (and the journey's inventory step): for each line of the order
 * (or the lines named), reserve the quantity at the best source (or the one named), or put the line on
 * backorder hold with the date ATP expects the stock, or on preorder hold before its product's launch
 * date. Each line moves through its business event (On Hand Check Success, Backorder / Preorder Hold
 * Applied). Every id is derived from the order and the line, so calling again for the same order
 * repeats nothing: held lines stay held, reserved lines are past the check. `known`: the order as the
 * caller has just read it (read here otherwise).
 */
export async function holdOrderLines(
  deps: HoldOrderLinesDeps,
  body: unknown,
  known?: Order
): Promise<{ orderId: string; lines: LineCheckResult[] }> {
  const request = deps.validate(body);
  const order = known?.orderId === request.orderId ? known : await deps.orders.get(request.orderId);
  if (order === undefined) {
    throw new NotFoundError(`No order ${request.orderId}.`, { code: 'order-not-found' });
  }
  const indexed = order.lines.map((line, index) => ({ line, index }));
  const chosen =
    request.lineIds === undefined
      ? indexed
      : request.lineIds.map((lineId, i) => {
          const found = indexed.find((entry) => entry.line.lineId === lineId);
          if (found === undefined) {
            throw new ValidationError('The hold check is not valid.', [
              { path: `/lineIds/${i}`, message: `order ${order.orderId} has no line '${lineId}'` },
            ]);
          }
          return found;
        });

  const now = deps.clock.now();
  const today = utcDateOf(now);
  const skus = [...new Set(chosen.map(({ line }) => line.sku))];
  const [terms, availability] = await Promise.all([preorderTerms(deps, skus), availabilityBySku(deps, skus)]);
  const atpOf = atpReader(deps, today);

  const results: LineCheckResult[] = [];
  lines: for (const { line, index } of chosen) {
    const lineKey = lineKeyOf(order.orderId, index);
    const existing = await deps.holds.get(line.sku, lineKey);
    const base = { lineId: line.lineId, sku: line.sku, quantity: line.quantity };
    if (existing?.hold.state === 'held') {
      results.push({ ...base, ...holdView(existing.hold), alreadyHeld: true });
      continue;
    }
    if (line.state === onHoldState) {
      results.push({
        ...base,
        outcome: 'not-checked',
        detail: `The line is on hold for another reason (${line.stateReason ?? 'no reason'}).`,
      });
      continue;
    }
    const stock = availability.get(line.sku) ?? [];
    const preorder = terms.get(line.sku);
    const gone = new Set<string>();
    // ATP is read only when the line cannot be reserved now: most lines never need it.
    const decide = async (withAtp: boolean): Promise<LineDecision> =>
      decideLine({
        quantity: line.quantity,
        today,
        availability: stock.filter((s) => !gone.has(s.sourceId)),
        atp: withAtp ? await atpOf(line.sku) : [],
        ...(preorder === undefined ? {} : { preorder }),
        ...(request.sourceId === undefined ? {} : { sourceId: request.sourceId }),
      });
    let decision = await decide(false);
    while (decision.kind === 'reserve') {
      const reserved = await reserveLine(deps, order.orderId, line, lineKey, decision.sourceId, stock);
      if (reserved !== 'insufficient') {
        results.push({ ...base, ...reserved });
        continue lines;
      }
      // Someone took the stock since we read it: try the next source, and wait if none is left.
      gone.add(decision.sourceId);
      decision = await decide(false);
    }
    if (decision.kind === 'backorder') {
      // The same sources, now with ATP: only the estimate can differ.
      const estimated = await decide(true);
      if (estimated.kind === 'backorder') decision = estimated;
    }
    results.push({
      ...base,
      ...(await holdLine(deps, { orderId: order.orderId, line, lineKey, decision, existing, now, request })),
    });
  }
  return { orderId: order.orderId, lines: results };
}

/** Reserves the line at `sourceId` and raises On Hand Check Success, or says the stock is gone. */
async function reserveLine(
  deps: HoldDeps,
  orderId: string,
  line: OrderLine,
  lineKey: string,
  sourceId: string,
  stock: SourceAvailability[]
): Promise<Omit<LineCheckResult, 'lineId' | 'sku' | 'quantity'> | 'insufficient'> {
  const refused = refusal(deps, line.state, holdEvents.reserved);
  if (refused !== undefined) return { outcome: 'not-checked', detail: refused };
  const reservationId = lineCheckIds.reservation(lineKey);
  const reserved = await deps.reservations.reserve({
    id: reservationId,
    sku: line.sku,
    sourceId,
    quantity: line.quantity,
  });
  if (!reserved.reserved) return 'insufficient';
  const source = stock.find((s) => s.sourceId === reserved.sourceId);
  if (source !== undefined) source.available -= line.quantity;
  const at = reserved.sourceId;
  try {
    await raiseLineEvent(deps, {
      id: lineCheckIds.reserved(lineKey),
      name: holdEvents.reserved,
      orderId,
      lineId: line.lineId,
      data: { reservationId, sourceId: at, quantity: line.quantity },
    });
  } catch (err) {
    // The line moved meanwhile: give the stock back rather than hold it for a line that cannot use it.
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    await deps.reservations.unreserve(reservationId, line.sku);
    return { outcome: 'not-checked', detail: err.message };
  }
  return { outcome: 'reserved', sourceId: at, reservationId };
}

/**
 * Puts the line on hold: the event first, then the hold record. Both carry ids derived from the
 * episode, so a retry after a failure between them raises nothing twice and stores the record; a
 * record never exists for a line the event did not put on hold, unless the line moved since.
 */
async function holdLine(
  deps: HoldDeps,
  input: {
    orderId: string;
    line: OrderLine;
    lineKey: string;
    decision: Exclude<LineDecision, { kind: 'reserve' }>;
    existing: { hold: InventoryHold; etag: string } | undefined;
    now: Date;
    request: HoldCheckRequest;
  }
): Promise<Omit<LineCheckResult, 'lineId' | 'sku' | 'quantity'>> {
  const { orderId, line, lineKey, decision, existing, now } = input;
  const kind: HoldKind = decision.kind;
  const eventName = kind === 'preorder' ? holdEvents.preorderApplied : holdEvents.backorderApplied;
  const refused = refusal(deps, line.state, eventName);
  if (refused !== undefined) return { outcome: 'not-checked', detail: refused };
  const at = now.toISOString();
  const hold: InventoryHold = {
    id: lineKey,
    sku: line.sku,
    orderId,
    lineId: line.lineId,
    quantity: line.quantity,
    ...(input.request.sourceId === undefined ? {} : { sourceId: input.request.sourceId }),
    kind,
    state: 'held',
    episodeNumber: (existing?.hold.episodeNumber ?? 0) + 1,
    queuedAt: at,
    heldAt: at,
    ...(decision.kind === 'backorder'
      ? { estimatedAvailableDate: decision.estimatedAvailableDate }
      : { launchDate: decision.launchDate }),
    createdAt: existing?.hold.createdAt ?? at,
    updatedAt: at,
  };
  try {
    await raiseLineEvent(deps, {
      id: episodeIds.applied(episodeOf(hold)),
      name: eventName,
      orderId,
      lineId: line.lineId,
      data:
        decision.kind === 'backorder'
          ? { estimatedAvailableDate: decision.estimatedAvailableDate }
          : { launchDate: decision.launchDate },
    });
  } catch (err) {
    if (!(err instanceof TransitionNotAllowedError)) throw err;
    return { outcome: 'not-checked', detail: err.message };
  }
  try {
    if (existing === undefined) await deps.holds.create(hold);
    else await deps.holds.replace(hold, existing.etag);
  } catch (err) {
    if (!(err instanceof ConflictError || err instanceof PreconditionFailedError)) throw err;
    // A concurrent check of the same line stored its hold first; that one stands.
    const winner = await deps.holds.get(line.sku, lineKey);
    if (winner?.hold.state !== 'held') throw err;
    return { ...holdView(winner.hold), alreadyHeld: true };
  }
  return holdView(hold);
}

function holdView(hold: InventoryHold): Omit<LineCheckResult, 'lineId' | 'sku' | 'quantity'> {
  return hold.kind === 'preorder'
    ? { outcome: 'preorder-hold', launchDate: hold.launchDate! }
    : { outcome: 'backorder-hold', estimatedAvailableDate: hold.estimatedAvailableDate ?? null };
}
