import { ValidationError, type ValidationIssue } from '../errors';
import type { PlanAllocation, PlanLine } from '../fulfillment/fulfillment-plan';
import type { Order } from '../orders/order';
import { initialStateOf } from '../states/out-of-box';
import {
  customerKeyOf,
  foLineId,
  shipToKeyOf,
  type FulfillmentOrder,
  type FulfillmentOrderLine,
} from './fulfillment-order';
import { raisedOnFulfillmentOrder, type FulfillmentOrderEventRaised } from './raised-event';

export interface FulfillmentOrdersFromPlanInput {
  /**
   * The optimizer's plan lines (FulfillmentPlan.planLines); allocations of 0 are ignored. An
   * allocation's `reservationId` names the soft reservation holding its units.
   */
  planLines: readonly (Pick<PlanLine, 'orderId' | 'lineId'> & {
    allocations: readonly (Pick<PlanAllocation, 'sourceId' | 'quantity'> & { reservationId?: string })[];
  })[];
  /** Every order the plan lines name. */
  orders: readonly Pick<Order, 'orderId' | 'customer' | 'shipTo' | 'lines'>[];
  /** Open FOs the new lines may join (the caller loads those of the same customers and sources). */
  openFulfillmentOrders: readonly FulfillmentOrder[];
  /** The strategy's batch window; 0 means every order gets FOs of its own. */
  batchWindowSeconds: number;
  now: Date;
  /**
   * Ids for new FOs, called once per FO created, in creation order, with the order and source it is
   * created for (a caller may have claimed an id for them already: `creationKeyOf`).
   */
  newId: (forNew: { orderId: string; sourceId: string }) => string;
}

export interface FulfillmentOrdersFromPlanResult {
  /** New FOs, in the order of the plan lines that created them. */
  created: FulfillmentOrder[];
  /** Existing FOs that received lines (new copies; the inputs are unchanged). */
  updated: FulfillmentOrder[];
  /** `Creation of Fulfillment Order Succeeded` per new FO, `Creation of fulfillment line succeeded` per new line. */
  raised: FulfillmentOrderEventRaised[];
}

/**
 * One FO per source for each order of the plan (an order's lines at one source always share the FO
 * this call made for them). A line joins an existing FO of
 * the same source, customer and ship-to when that FO is still `new` (not sent to its provider) and
 * was created less than the batch window ago; FOs created by this call count as created `now`, so
 * with a window > 0 two orders of one batch share an FO and with 0 they never do. Among several
 * candidates the oldest (then smallest id) wins. The same order line joining an FO twice adds to its
 * quantity. Deterministic: ids come from `newId`, times from `now`.
 */
export function fulfillmentOrdersFromPlan(
  input: FulfillmentOrdersFromPlanInput
): FulfillmentOrdersFromPlanResult {
  const { planLines, orders, batchWindowSeconds, now } = input;
  const issues: ValidationIssue[] = [];
  if (!Number.isFinite(batchWindowSeconds) || batchWindowSeconds < 0) {
    issues.push({ path: '/batchWindowSeconds', message: 'must be a number ≥ 0' });
  }
  const ordersById = new Map(orders.map((o) => [o.orderId, o]));
  planLines.forEach((planLine, index) => {
    const order = ordersById.get(planLine.orderId);
    if (!order) {
      issues.push({
        path: `/planLines/${index}/orderId`,
        message: `order ${planLine.orderId} was not given`,
      });
    } else if (!order.lines.some((l) => l.lineId === planLine.lineId)) {
      issues.push({
        path: `/planLines/${index}/lineId`,
        message: `order ${planLine.orderId} has no line ${planLine.lineId}`,
      });
    }
    planLine.allocations.forEach((a, ai) => {
      if (!Number.isInteger(a.quantity) || a.quantity < 0) {
        issues.push({
          path: `/planLines/${index}/allocations/${ai}/quantity`,
          message: 'must be an integer ≥ 0',
        });
      }
    });
  });
  if (issues.length > 0) throw new ValidationError('Cannot create fulfillment orders from the plan.', issues);

  const at = now.toISOString();
  const windowMs = batchWindowSeconds * 1000;
  const created: FulfillmentOrder[] = [];
  const updated = new Map<string, FulfillmentOrder>();
  const raised: FulfillmentOrderEventRaised[] = [];
  // Candidates: copies of the open FOs, oldest first, then the ones this call creates.
  const candidates: FulfillmentOrder[] = [...input.openFulfillmentOrders]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((fo) => structuredClone(fo));

  for (const planLine of planLines) {
    const order = ordersById.get(planLine.orderId)!;
    const orderLine = order.lines.find((l) => l.lineId === planLine.lineId)!;
    const customerKey = customerKeyOf(order);
    const shipToKey = shipToKeyOf(order.shipTo);
    for (const allocation of planLine.allocations) {
      if (allocation.quantity === 0) continue;
      let fo = candidates.find(
        (c) =>
          c.sourceId === allocation.sourceId &&
          c.customerKey === customerKey &&
          shipToKeyOf(c.shipTo) === shipToKey &&
          ((created.includes(c) && c.orderIds.includes(order.orderId)) || mayJoin(c, now, windowMs))
      );
      if (!fo) {
        fo = {
          id: input.newId({ orderId: order.orderId, sourceId: allocation.sourceId }),
          type: 'fulfillmentOrder',
          sourceId: allocation.sourceId,
          orderIds: [order.orderId],
          customerKey,
          shipTo: structuredClone(order.shipTo),
          state: initialStateOf('fulfillmentOrder'),
          lines: [],
          shipments: [],
          appliedEventIds: [],
          sendAfter: new Date(now.getTime() + windowMs).toISOString(),
          createdAt: at,
          updatedAt: at,
        };
        created.push(fo);
        candidates.push(fo);
        raised.push(raisedOnFulfillmentOrder(fo, 'Creation of Fulfillment Order Succeeded'));
      } else if (!created.includes(fo)) {
        updated.set(fo.id, fo);
      }
      if (!fo.orderIds.includes(order.orderId)) fo.orderIds.push(order.orderId);
      const id = foLineId(order.orderId, orderLine.lineId);
      const existing = fo.lines.find((l) => l.id === id);
      const line = existing ?? newLine(order.orderId, orderLine);
      if (!existing) {
        fo.lines.push(line);
        raised.push({
          entityType: 'fulfillmentOrderLine',
          entityId: line.id,
          fulfillmentOrderId: fo.id,
          orderIds: [order.orderId],
          name: 'Creation of fulfillment line succeeded',
          fromState: line.state,
          toState: line.state,
          reason: null,
        });
      }
      line.quantity += allocation.quantity;
      if (allocation.reservationId !== undefined) {
        const held = line.reservations.find((r) => r.reservationId === allocation.reservationId);
        if (held) held.quantity += allocation.quantity;
        else
          line.reservations.push({ reservationId: allocation.reservationId, quantity: allocation.quantity });
      }
      fo.updatedAt = at;
    }
  }
  return { created, updated: [...updated.values()], raised };
}

function newLine(orderId: string, orderLine: { lineId: string; sku: string }): FulfillmentOrderLine {
  return {
    id: foLineId(orderId, orderLine.lineId),
    orderId,
    lineId: orderLine.lineId,
    sku: orderLine.sku,
    quantity: 0,
    state: initialStateOf('fulfillmentOrderLine'),
    picked: 0,
    packed: 0,
    shipped: 0,
    delivered: 0,
    cancelled: 0,
    reservations: [],
  };
}

/** Still `new` (not sent), and created within the window before `now`: new lines may join it. */
export function mayJoin(fo: FulfillmentOrder, now: Date, windowMs: number): boolean {
  if (windowMs <= 0 || fo.state !== initialStateOf('fulfillmentOrder')) return false;
  const age = now.getTime() - Date.parse(fo.createdAt);
  return age >= 0 && age < windowMs;
}
