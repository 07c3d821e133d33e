import {
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
import { fulfillmentOrdersFromPlan } from '../../domain/fulfillment-orders/fulfillment-orders-from-plan';
import { initialStateOf } from '../../domain/states/out-of-box';
import type { VersionedFulfillmentOrder } from '../../ports/fulfillment-orders';
import { carryOutPendingEffects, finishPending, identify } from './fulfillment-order-effects';
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
}

export interface CreateFulfillmentOrdersResult {
  /** Every FO carrying lines of the order (merged FOs carry other orders' lines too). */
  fulfillmentOrders: FulfillmentOrder[];
  /** FOs this call created. */
  created: string[];
  /** Existing FOs of other orders this call's lines joined. */
  joined: string[];
}

/**
 * Puts an order's allocations on fulfillment orders (docs/fulfillment-orders.md): one FO per source,
 * joining an unsent FO of the same customer, ship-to and source created within the batch window.
 * Exactly once per (order line, source): allocations whose line is already on an FO of that source
 * are left out, so a retry after any failure creates nothing twice, and a retry after a complete run
 * writes nothing. Joining uses the FO's ETag: a race reruns the whole decision on fresh reads. Each
 * created FO starts its journey in force; the creation events go on the orders' timelines and out
 * as CloudEvents.
 */
export async function createFulfillmentOrders(
  deps: FulfillmentOrderDeps,
  input: CreateFulfillmentOrdersInput
): Promise<CreateFulfillmentOrdersResult> {
  validate(input);
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new NotFoundError(`No order ${input.orderId}.`, { code: 'order-not-found' });
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
      return { fulfillmentOrders: existing.map((v) => v.fulfillmentOrder), created: [], joined: [] };
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
    const etags = new Map(mergeable.map((v) => [v.fulfillmentOrder.id, v.etag]));
    const plan = fulfillmentOrdersFromPlan({
      planLines: planLinesOf(input.orderId, remaining),
      orders: [order],
      openFulfillmentOrders: mergeable.map((v) => v.fulfillmentOrder),
      batchWindowSeconds: input.batchWindowSeconds,
      now,
      newId: () => deps.ids.newId(),
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
    for (const fo of plan.created) {
      const journey = await deps.journeysInForce.refFor('fulfillmentOrder', fo.id);
      const effect = effectOf(fo);
      if (journey) {
        effect.start = {
          kind: 'start',
          journey,
          type: 'fulfillmentOrder',
          entityId: fo.id,
          orderId: fo.orderIds[0]!,
        };
      }
      const next: FulfillmentOrder = { ...fo, ...(journey ? { journey } : {}), pendingEffects: [effect] };
      written.push({ fulfillmentOrder: next, etag: await deps.fulfillmentOrders.create(next) });
    }
    for (const stored of written) await carryOutPendingEffects(deps, stored);
    const fulfillmentOrders = (await deps.fulfillmentOrders.forOrder(input.orderId)).map(
      (v) => v.fulfillmentOrder
    );
    return {
      fulfillmentOrders,
      created: plan.created.map((fo) => fo.id),
      joined: plan.updated.map((fo) => fo.id),
    };
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
