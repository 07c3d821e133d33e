import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../domain/errors';
import {
  customerKeyOf,
  type FulfillmentOrder,
  type PendingEffect,
} from '../../domain/fulfillment-orders/fulfillment-order';
import { creationClaimFor, creationKeyOf } from '../../domain/fulfillment-orders/creation-claim';
import { fulfillmentOrdersFromPlan } from '../../domain/fulfillment-orders/fulfillment-orders-from-plan';
import {
  decideOnClaimedSlot,
  mergeSlotFor,
  needsMergeSlot,
} from '../../domain/fulfillment-orders/merge-slot';
import { initialStateOf } from '../../domain/states/out-of-box';
import type { VersionedFulfillmentOrder } from '../../ports/fulfillment-orders';
import type { Order } from '../../domain/orders/order';
import { sleep } from '../inventory/conflict-backoff';
import { carryOutPendingEffects, finishPending, identify } from './fulfillment-order-effects';
import { traceFields } from '../../telemetry/tracing';
import { conflictAttempts, type FulfillmentOrderDeps } from './fulfillment-order-deps';

export interface FulfillmentAllocation {
  lineId: string;
  sourceId: string;
  quantity: number;
  /** The soft reservation holding these units (consumed when they ship, released when cancelled). */
  reservationId: string;
}

export interface CreateFulfillmentOrdersInput {
  orderId: string;
  allocations: readonly FulfillmentAllocation[];
  /** The strategy's batch window: 0 never merges orders. */
  batchWindowSeconds: number;
  /** The calling step's id: the ids of the events raised derive from it. */
  eventIdPrefix: string;
  /** The order as the caller has just read it; read here when not given. */
  order?: Order;
}

export interface CreateFulfillmentOrdersResult {
  /** Every FO carrying lines of the order (merged FOs carry other orders' lines too). */
  fulfillmentOrders: FulfillmentOrder[];
  /** FOs this call created. */
  created: string[];
  /** Existing FOs of other orders this call's lines joined. */
  joined: string[];
  /**
   * FOs created although the merge slot of their key named another FO, because that FO was never
   * stored (its creator died between claiming the slot and storing it): why each did not merge.
   */
  notMerged?: { fulfillmentOrderId: string; reason: string }[];
}

/**
 * How long (ms) an order waits, read after read, for an FO whose creator claimed the merge slot but
 * has not stored it yet (it normally takes a few ms): about 1.9 s in all, then it creates its own.
 */
export const mergeSlotWaitsMs: readonly number[] = [5, 10, 20, 40, 80, 160, 320, 400, 400, 400];

/**
 * Puts an order's allocations on fulfillment orders (docs/fulfillment-orders.md): one FO per source,
 * joining an unsent FO of the same customer, ship-to and source created within the batch window.
 * Exactly once per (order line, source): allocations whose line is already on an FO of that source
 * are left out, so a retry after any failure creates nothing twice, and a retry after a complete run
 * writes nothing. Runs of one call at the same moment (an activity delivered twice) create each FO
 * once: a new FO first claims its creation (`claimCreation`); a run that finds it claimed stores the
 * FO under the claimed id instead (rerunning the decision), so the second store conflicts and the
 * rerun finds the FO, and an FO whose claimer died before storing it is stored by the next run.
 * Joining uses the FO's ETag: a race reruns the whole decision on fresh reads. With a
 * window, a new FO first claims the merge slot of its customer, ship-to and source; an order that
 * finds the slot claimed for an open FO joins that FO instead (rerunning the decision), so orders
 * created at the same moment share one FO. With window 0 no slot is read or written. Each created
 * FO starts its journey in force; the creation events go on the orders' timelines and out as
 * CloudEvents.
 */
export async function createFulfillmentOrders(
  deps: FulfillmentOrderDeps,
  input: CreateFulfillmentOrdersInput
): Promise<CreateFulfillmentOrdersResult> {
  validate(input);
  const order = input.order?.orderId === input.orderId ? input.order : await deps.orders.get(input.orderId);
  if (!order) throw new NotFoundError(`No order ${input.orderId}.`, { code: 'order-not-found' });
  const created: string[] = [];
  const joined: string[] = [];
  const notMerged: { fulfillmentOrderId: string; reason: string }[] = [];
  // FOs the merge slots named: candidates on every later attempt, whether the query sees them or not.
  const claimedByOthers = new Set<string>();
  // FO ids claimed by another run of this creation (creationKeyOf → id): the FOs to store under them.
  const claimedIds = new Map<string, string>();
  /** Gives up after the last attempt; before it, the caller reruns the decision on fresh reads. */
  const throwIfLastAttempt = (attempt: number, why: string) => {
    if (attempt < conflictAttempts) return;
    throw new PreconditionFailedError(`Fulfillment orders of order ${input.orderId} ${why}; try again.`);
  };
  for (let attempt = 1; ; attempt++) {
    const existing = await finishPending(deps, await deps.fulfillmentOrders.forOrder(input.orderId));
    const covered = new Set(
      existing.flatMap(({ fulfillmentOrder: fo }) =>
        fo.lines.filter((l) => l.orderId === input.orderId).map((l) => `${l.lineId}\n${fo.sourceId}`)
      )
    );
    const remaining = input.allocations.filter(
      (a) => a.quantity > 0 && !covered.has(`${a.lineId}\n${a.sourceId}`)
    );
    if (remaining.length === 0) {
      return {
        fulfillmentOrders: existing.map((v) => v.fulfillmentOrder),
        created,
        joined,
        ...(notMerged.length > 0 ? { notMerged } : {}),
      };
    }
    const now = deps.clock.now();
    const mergeable =
      input.batchWindowSeconds > 0
        ? await deps.fulfillmentOrders.findMergeable({
            customerKey: customerKeyOf(order),
            sourceIds: [...new Set(remaining.map((a) => a.sourceId))],
            state: initialStateOf('fulfillmentOrder'),
          })
        : [];
    for (const id of claimedByOthers) {
      if (mergeable.some((v) => v.fulfillmentOrder.id === id)) continue;
      const claimed = await deps.fulfillmentOrders.get(id);
      if (claimed) mergeable.push(claimed);
    }
    // A run of this creation stored or joined one of these since forOrder was read: read again.
    const remainingKeys = new Set(remaining.map((a) => `${a.lineId}\n${a.sourceId}`));
    if (
      mergeable.some(({ fulfillmentOrder: fo }) =>
        fo.lines.some((l) => l.orderId === input.orderId && remainingKeys.has(`${l.lineId}\n${fo.sourceId}`))
      )
    ) {
      throwIfLastAttempt(attempt, 'kept changing while read');
      continue;
    }
    const etags = new Map(mergeable.map((v) => [v.fulfillmentOrder.id, v.etag]));
    const plan = fulfillmentOrdersFromPlan({
      planLines: planLinesOf(input.orderId, remaining),
      orders: [order],
      openFulfillmentOrders: mergeable.map((v) => v.fulfillmentOrder),
      batchWindowSeconds: input.batchWindowSeconds,
      now,
      newId: ({ sourceId }) =>
        claimedIds.get(
          creationKeyOf(
            input.orderId,
            sourceId,
            remaining.filter((a) => a.sourceId === sourceId).map((a) => a.lineId)
          )
        ) ?? deps.ids.newId(),
    });
    const at = now.toISOString();
    const effectOf = (fo: FulfillmentOrder): PendingEffect => {
      const id = `${input.eventIdPrefix}:${fo.id}`;
      return {
        id,
        at,
        raised: identify(
          id,
          plan.raised.filter((e) => e.fulfillmentOrderId === fo.id)
        ),
        orderLineEvents: [],
        progress: false,
        inventory: [],
        signalJourneys: false,
      };
    };
    const written: VersionedFulfillmentOrder[] = [];
    try {
      // Joins first: a lost race on one reruns the decision before any FO of this call exists.
      for (const fo of plan.updated) {
        const next = { ...fo, pendingEffects: [...(fo.pendingEffects ?? []), effectOf(fo)] };
        written.push({
          fulfillmentOrder: next,
          etag: await deps.fulfillmentOrders.replace(next, etags.get(fo.id)!),
        });
      }
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < conflictAttempts) continue;
      throw err;
    }
    joined.push(...plan.updated.map((fo) => fo.id));
    let rerun: string | undefined;
    for (const fo of plan.created) {
      const claim = creationClaimFor(fo, input.orderId);
      const claimedId = await deps.fulfillmentOrders.claimCreation(claim);
      if (claimedId !== fo.id) {
        // Another run of this creation claimed it first: rerun the decision to store the FO under
        // the claimed id (a no-op when that run has stored it by then).
        claimedIds.set(claim.key, claimedId);
        rerun = 'kept losing their creation claims';
        break;
      }
      if (needsMergeSlot(fo, input.batchWindowSeconds)) {
        const slot = await claimMergeSlot(deps, fo, input);
        if (slot.kind === 'join') {
          // Another order claimed the key first: rerun the decision with its FO as a candidate.
          // FOs this attempt already stored are covered on the rerun; their effects finish there.
          claimedByOthers.add(slot.foId);
          rerun = 'kept losing their merge slots';
          break;
        }
        if (slot.reason !== undefined) notMerged.push({ fulfillmentOrderId: fo.id, reason: slot.reason });
      }
      const journey = await deps.journeysInForce.refFor('fulfillmentOrder', fo.id);
      const effect = effectOf(fo);
      if (journey) {
        effect.start = {
          kind: 'start',
          journey,
          type: 'fulfillmentOrder',
          entityId: fo.id,
          orderId: fo.orderIds[0]!,
          ...traceFields(),
        };
      }
      const next: FulfillmentOrder = { ...fo, ...(journey ? { journey } : {}), pendingEffects: [effect] };
      try {
        written.push({ fulfillmentOrder: next, etag: await deps.fulfillmentOrders.create(next) });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Another run of this creation stored the claimed FO first: the rerun finds it.
        rerun = 'kept being stored by another run';
        break;
      }
      created.push(fo.id);
    }
    if (rerun !== undefined) {
      throwIfLastAttempt(attempt, rerun);
      continue;
    }
    // The order's FOs now: those found at the start and those this call wrote, as forOrder orders them.
    const byId = new Map(existing.map((v) => [v.fulfillmentOrder.id, v.fulfillmentOrder]));
    for (const stored of written) {
      const done = await carryOutPendingEffects(deps, stored);
      byId.set(done.fulfillmentOrder.id, done.fulfillmentOrder);
    }
    const fulfillmentOrders = [...byId.values()].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)
    );
    return { fulfillmentOrders, created, joined, ...(notMerged.length > 0 ? { notMerged } : {}) };
  }
}

type SlotClaim = { kind: 'won'; reason?: string } | { kind: 'join'; foId: string };

/**
 * Claims the merge slot of a new FO's key for it before the FO is stored: created when the key has
 * none, taken over (under its ETag) when the FO it names is closed or was never stored before the
 * slot expired. When it names an FO this order may join, answers that FO; when that FO is not stored
 * yet, reads again for a while (mergeSlotWaitsMs), then takes the slot over with the reason.
 */
async function claimMergeSlot(
  deps: FulfillmentOrderDeps,
  fo: FulfillmentOrder,
  input: CreateFulfillmentOrdersInput
): Promise<SlotClaim> {
  const slot = mergeSlotFor(fo, input.orderId);
  if (await deps.fulfillmentOrders.createMergeSlot(slot)) return { kind: 'won' };
  let waits = 0;
  for (;;) {
    const current = await deps.fulfillmentOrders.mergeSlot(slot.key);
    if (current === undefined) {
      if (await deps.fulfillmentOrders.createMergeSlot(slot)) return { kind: 'won' };
      continue;
    }
    if (current.slot.foId === fo.id) return { kind: 'won' };
    const claimed = await deps.fulfillmentOrders.get(current.slot.foId);
    const decision = decideOnClaimedSlot({
      slot: current.slot,
      claimed: claimed?.fulfillmentOrder,
      now: deps.clock.now(),
      batchWindowSeconds: input.batchWindowSeconds,
      waitedOut: waits >= mergeSlotWaitsMs.length,
    });
    switch (decision.kind) {
      case 'join':
        return { kind: 'join', foId: current.slot.foId };
      case 'wait':
        await sleep(mergeSlotWaitsMs[waits++]!);
        break;
      case 'claim':
      case 'abandon':
        if (await deps.fulfillmentOrders.replaceMergeSlot(slot, current.etag)) {
          return decision.kind === 'abandon' ? { kind: 'won', reason: decision.reason } : { kind: 'won' };
        }
        break;
    }
  }
}

function planLinesOf(orderId: string, allocations: readonly FulfillmentAllocation[]) {
  const byLine = new Map<string, { sourceId: string; quantity: number; reservationId: string }[]>();
  for (const a of allocations) {
    const list = byLine.get(a.lineId) ?? [];
    list.push({ sourceId: a.sourceId, quantity: a.quantity, reservationId: a.reservationId });
    byLine.set(a.lineId, list);
  }
  return [...byLine].map(([lineId, list]) => ({ orderId, lineId, allocations: list }));
}

function validate(input: CreateFulfillmentOrdersInput): void {
  const issues: ValidationIssue[] = [];
  const text = (value: unknown) => typeof value === 'string' && value !== '';
  if (!text(input.orderId)) issues.push({ path: '/orderId', message: 'must be a non-empty string' });
  if (!text(input.eventIdPrefix))
    issues.push({ path: '/eventIdPrefix', message: 'must be a non-empty string' });
  const allocations: readonly FulfillmentAllocation[] | undefined = Array.isArray(input.allocations)
    ? input.allocations
    : undefined;
  if (allocations === undefined) issues.push({ path: '/allocations', message: 'must be an array' });
  else
    allocations.forEach((a, i) => {
      for (const key of ['lineId', 'sourceId', 'reservationId'] as const)
        if (!text(a[key]))
          issues.push({ path: `/allocations/${i}/${key}`, message: 'must be a non-empty string' });
      if (!Number.isInteger(a.quantity) || a.quantity < 0)
        issues.push({ path: `/allocations/${i}/quantity`, message: 'must be an integer ≥ 0' });
    });
  if (issues.length > 0) throw new ValidationError('Cannot create fulfillment orders.', issues);
}
