import { emailAddressMissingCode } from '../../domain/email/outbox-message';
import { trackingUrlOf } from '../../domain/email/tracking-url';
import { isDomainError, ValidationError } from '../../domain/errors';
import { lineCheckIds, lineKeyOf } from '../../domain/inventory/holds/holds';
import type { JourneyAction } from '../../domain/journeys/journey';
import { runKey } from '../../domain/journeys/run-key';
import { headerValidationIssues } from '../../domain/journeys/validate-order';
import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import type { Order, OrderLine } from '../../domain/orders/order';
import { applyEvent } from '../../domain/states/apply-event';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import { TransitionNotAllowedError } from '../../domain/states/transition-not-allowed-error';
import type { InventoryHoldStore } from '../../ports/inventory-holds';
import type { OrderRepository } from '../../ports/orders';
import type { ProductRepository } from '../../ports/products';
import type { StrategyRepository } from '../../ports/fulfillment-strategies';
import { strategyForPlanning } from '../fulfillment/fulfillment-strategies';
import { planFulfillmentRequest, type PlanRequestDeps } from '../fulfillment/plan-fulfillment-request';
import { holdOrderLines, type HoldOrderLinesDeps } from '../inventory/holds/hold-order-lines';
import type { Invoice } from '../../domain/invoices/invoice';
import type { EventToRaise, OrderAction, OrderActionContext, OrderActionResult } from './run-journey-step';

/** Where each line of an order is to be fulfilled from, as the optimizer or a policy decided. */
export interface OrderFulfillmentPlan {
  strategyId?: string;
  plannedAt: string;
  lines: {
    lineId: string;
    status: 'fully-sourced' | 'partially-sourced' | 'not-sourced';
    allocations: { sourceId: string; quantity: number }[];
  }[];
}

/** A line's soft reservation, as the inventory step made it. */
export interface LineReservation {
  reservationId: string;
  sourceId: string;
  quantity: number;
}

/** What the order actions find on the order beyond the intake's fields. */
export type PlannedOrder = Order & {
  fulfillmentPlan?: OrderFulfillmentPlan;
  reservations?: Record<string, LineReservation>;
  /** Set by an execution policy for manual sourcing: the source of every line without its own. */
  fulfillmentSourceId?: string;
};

/** Fulfillment orders, email and invoices as the order actions use them (their features' use cases). */
export interface FulfillmentOrderActions {
  create(input: {
    orderId: string;
    allocations: { lineId: string; sourceId: string; quantity: number; reservationId: string }[];
    batchWindowSeconds: number;
    eventIdPrefix: string;
    order: Order;
  }): Promise<{ fulfillmentOrderIds: string[]; notMerged?: string[] }>;
  send(input: { orderId: string; eventIdPrefix: string }): Promise<{ sent: string[]; notBefore?: string }>;
  /** The fulfillment orders carrying the order's lines. */
  of(orderId: string): Promise<FulfillmentOrder[]>;
}

export interface MessageActions {
  queueEmail(input: {
    key: string;
    orderId: string;
    templateId: string;
    model: Record<string, unknown>;
  }): Promise<void>;
  /** The invoice (stored earlier under the same key, or now), null when nothing is left to bill. */
  createInvoice(input: {
    key: string;
    orderId: string;
    fulfillmentOrderId?: string;
    shipmentId?: string;
    lines?: { lineId: string; quantity: number }[];
  }): Promise<Invoice | null>;
}

export interface OrderActionDeps {
  orders: OrderRepository;
  products: ProductRepository;
  strategies: StrategyRepository;
  config: StateFrameworkConfig;
  plan: () => Promise<PlanRequestDeps & { orders: OrderRepository }>;
  holds: () => Promise<HoldOrderLinesDeps & { holds: InventoryHoldStore }>;
  fulfillmentOrders: () => Promise<FulfillmentOrderActions>;
  messages: () => Promise<MessageActions>;
}

const events = {
  headerSucceeded: 'Validation of Order Header has Succeeded',
  headerFailed: 'Validation of Order Header has Failed',
  lineSucceeded: 'Validation of Order Line has Succeeded',
  lineFailed: 'Validation of Order Line has Failed',
  optimizationFailed: 'Fulfillment optimization request failed',
  /** Raised (aggregated) when every counted line is reserved: the order can be fulfilled. */
  readyToFulfill: 'Order Header Ready to be Fulfilled',
} as const;

const inFulfillment = 'fulfillment in process';

/** The built-in actions of order journeys (docs/journeys.md), by action name. */
export function orderActions(
  deps: OrderActionDeps
): Readonly<Record<Exclude<JourneyAction, 'disposeReturn'>, OrderAction>> {
  return {
    validateOrderHeader: ({ order }) => {
      const issues = headerValidationIssues(order);
      if (issues.length > 0) {
        return Promise.resolve(failed(issues.join('; '), [onOrder(order, events.headerFailed)]));
      }
      return Promise.resolve({ outcome: 'succeeded', raise: [onOrder(order, events.headerSucceeded)] });
    },

    validateOrderLines: async ({ order }) => {
      const known = await Promise.all(
        order.lines.map(async (l) => (await deps.products.get(l.sku)) !== undefined)
      );
      const problems = order.lines.flatMap((line, i) =>
        known[i] ? [] : [`line ${line.lineId}: no product ${line.sku} in the catalogue`]
      );
      const raise = order.lines.flatMap((line, i) => {
        const name = known[i] ? events.lineSucceeded : events.lineFailed;
        return allows(deps.config, 'orderLine', line.state, name) ? [onLine(line, name)] : [];
      });
      return problems.length > 0 ? failed(problems.join('; '), raise) : { outcome: 'succeeded', raise };
    },

    assignFulfillmentSource: ({ order, now }) => Promise.resolve(assignSources(order as PlannedOrder, now)),

    sendToFulfillmentOptimization: async ({ order, now }) => {
      try {
        // The order as the step read it: planning it by id would read it again.
        const answer = await planFulfillmentRequest(await deps.plan(), {
          shipTo: order.shipTo,
          lines: order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
        });
        const plan: OrderFulfillmentPlan = {
          strategyId: answer.strategyId,
          plannedAt: now.toISOString(),
          lines: answer.planLines.map((line) => ({
            lineId: line.lineId,
            status: line.status,
            allocations: line.allocations.map(({ sourceId, quantity }) => ({ sourceId, quantity })),
          })),
        };
        const sourced = plan.lines.filter((l) => l.status === 'fully-sourced').length;
        return {
          outcome: 'succeeded',
          update: (o) => void ((o as PlannedOrder).fulfillmentPlan = plan),
          detail: `${sourced} of ${plan.lines.length} lines fully sourced`,
        };
      } catch (err) {
        if (!isDomainError(err)) throw err;
        return failed(describe(err), [onOrder(order, events.optimizationFailed)]);
      }
    },

    softReserveInventory: async ({ order }) => softReserve(deps, order),

    sendFulfillmentProcessRequest: async ({ order, runId }) => {
      const allocations = await reservedAllocations(deps, order);
      if ('missing' in allocations) {
        return failed(`lines ${allocations.missing.join(', ')} have no reservation to fulfill from`);
      }
      const plannedWith = (order as PlannedOrder).fulfillmentPlan?.strategyId;
      const strategy =
        (plannedWith === undefined ? undefined : (await deps.strategies.get(plannedWith))?.strategy) ??
        (await strategyForPlanning(deps.strategies, undefined));
      const created = await (
        await deps.fulfillmentOrders()
      ).create({
        orderId: order.orderId,
        allocations: allocations.lines,
        batchWindowSeconds: strategy.mergeWindowSeconds ?? 0,
        eventIdPrefix: runKey(runId),
        order,
      });
      const notMerged = created.notMerged?.length ? ` (${created.notMerged.join('; ')})` : '';
      return {
        outcome: 'succeeded',
        // The fulfillment orders' creation raised events on the order's lines.
        wroteOrder: true,
        detail: `fulfillment orders ${created.fulfillmentOrderIds.join(', ')}${notMerged}`,
      };
    },

    sendToFulfillment: async ({ order, runId }) =>
      sendToFulfillment(await deps.fulfillmentOrders(), order.orderId, runId),

    sendEmail: async (context) => sendEmail(deps, context),

    sendToInvoice: async ({ order, runId }) => {
      const invoice = await (
        await deps.messages()
      ).createInvoice({ key: runKey(runId), orderId: order.orderId });
      return {
        outcome: 'succeeded',
        detail: invoice ? `invoice ${invoice.id}` : 'nothing left to invoice',
        ...(invoice ? { invoices: [invoice] } : {}),
      };
    },

    custom: () => Promise.resolve({ outcome: 'succeeded' }),
  };
}

async function sendEmail(
  deps: OrderActionDeps,
  { order, step, runId }: OrderActionContext
): Promise<OrderActionResult> {
  const templateId = step.emailTemplateId ?? 'order-confirmation';
  try {
    const fulfillmentOrders = await (await deps.fulfillmentOrders()).of(order.orderId);
    // The order's own shipment lines: a merged fulfillment order also ships other orders' lines.
    // `url` is the link to track it: the shipment's own, or the carrier's tracking page.
    const shipments = fulfillmentOrders.flatMap((fo) =>
      fo.shipments.map((shipment) => {
        const url = trackingUrlOf(shipment);
        return {
          ...shipment,
          ...(url === undefined ? {} : { url }),
          lines: shipment.lines.filter((line) => line.orderId === order.orderId),
        };
      })
    );
    await (
      await deps.messages()
    ).queueEmail({
      key: runKey(runId),
      orderId: order.orderId,
      templateId,
      model: { order, fulfillmentOrders, shipments },
    });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    // An order may be placed without an email (a name or an account is enough): nobody to write to.
    if (err.code === emailAddressMissingCode)
      return { outcome: 'succeeded', detail: 'no email address: nothing queued' };
    return failed(describe(err));
  }
  return { outcome: 'succeeded', detail: `email ${templateId} queued` };
}

/**
 * Reserves each line not reserved yet at the source the plan chose (the hold check: a line without
 * stock goes on backorder hold, a preorder before launch on preorder hold). When every counted line
 * is reserved the order-level event the lines aggregate to has been raised: it is reported, so a
 * step waiting for it goes on at once.
 */
async function softReserve(deps: OrderActionDeps, order: PlannedOrder): Promise<OrderActionResult> {
  const holdDeps = await deps.holds();
  const reserved: Record<string, LineReservation> = {};
  const held: string[] = [];
  for (const [index, line] of order.lines.entries()) {
    const planned = order.fulfillmentPlan?.lines.find((l) => l.lineId === line.lineId);
    const best = planned?.allocations.slice().sort((a, b) => b.quantity - a.quantity)[0];
    if (line.state === inFulfillment && order.reservations?.[line.lineId] === undefined && best) {
      // An attempt of this step reserved the line and moved it on, then stopped before storing its
      // result: the reservation's id is the line's, so asking again gives that reservation back.
      const lineKey = lineKeyOf(order.orderId, index);
      if ((await holdDeps.holds.get(line.sku, lineKey)) === undefined) {
        const again = await holdDeps.reservations.reserve({
          id: lineCheckIds.reservation(lineKey),
          sku: line.sku,
          sourceId: best.sourceId,
          quantity: line.quantity,
        });
        if (again.reserved) {
          reserved[line.lineId] = {
            reservationId: again.reservationId,
            sourceId: again.sourceId,
            quantity: line.quantity,
          };
        }
      }
      continue;
    }
    if (line.state !== 'in progress' && line.state !== 'new') continue;
    // The step's order: a line's hold changes no other line's state.
    const answer = await holdOrderLines(
      holdDeps,
      {
        orderId: order.orderId,
        lineIds: [line.lineId],
        ...(best && planned?.status === 'fully-sourced' ? { sourceId: best.sourceId } : {}),
      },
      order
    );
    for (const result of answer.lines) {
      if (result.outcome === 'reserved' && result.reservationId && result.sourceId) {
        reserved[result.lineId] = {
          reservationId: result.reservationId,
          sourceId: result.sourceId,
          quantity: result.quantity,
        };
      } else held.push(`${result.lineId}: ${result.outcome}${result.detail ? ` (${result.detail})` : ''}`);
    }
  }
  // The holds raised the lines' events on the order: read it again for their states.
  const fresh = await deps.orders.getForUpdate(order.orderId);
  const counted = fresh?.order.lines.filter((l) => l.state !== 'cancelled') ?? [];
  const ready = counted.length > 0 && counted.every((l) => l.state === inFulfillment);
  return {
    outcome: 'succeeded',
    update: (o) => {
      const planned = o as PlannedOrder;
      planned.reservations = { ...(planned.reservations ?? {}), ...reserved };
    },
    ...(ready ? { reported: [events.readyToFulfill] } : {}),
    wroteOrder: true,
    ...(fresh ? { readAfter: fresh } : {}),
    detail: [
      `reserved ${Object.keys(reserved).length} lines`,
      ...(held.length > 0 ? [`not reserved: ${held.join(', ')}`] : []),
    ].join('; '),
  };
}

/** Each counted line's reservation: the inventory step's, or the one a released hold made. */
async function reservedAllocations(
  deps: OrderActionDeps,
  order: PlannedOrder
): Promise<
  | { lines: { lineId: string; sourceId: string; quantity: number; reservationId: string }[] }
  | { missing: string[] }
> {
  const holdDeps = await deps.holds();
  const lines: { lineId: string; sourceId: string; quantity: number; reservationId: string }[] = [];
  const missing: string[] = [];
  for (const [index, line] of order.lines.entries()) {
    if (line.state === 'cancelled') continue;
    let reservation: { reservationId: string; sourceId: string } | undefined =
      order.reservations?.[line.lineId];
    if (reservation === undefined) {
      reservation = (await holdDeps.holds.get(line.sku, lineKeyOf(order.orderId, index)))?.hold.reservation;
    }
    if (reservation === undefined) missing.push(line.lineId);
    else
      lines.push({
        lineId: line.lineId,
        sourceId: reservation.sourceId,
        quantity: line.quantity,
        reservationId: reservation.reservationId,
      });
  }
  return missing.length > 0 ? { missing } : { lines };
}

/** Manual sourcing: each line's source as an execution policy of the step set it. */
function assignSources(planned: PlannedOrder, now: Date): OrderActionResult {
  const order = planned;
  const missing: string[] = [];
  const lines = order.lines.map((line) => {
    const sourceId = (line as OrderLine & { sourceId?: string }).sourceId ?? planned.fulfillmentSourceId;
    if (sourceId === undefined) missing.push(line.lineId);
    return {
      lineId: line.lineId,
      status: 'fully-sourced' as const,
      allocations: sourceId === undefined ? [] : [{ sourceId, quantity: line.quantity }],
    };
  });
  if (missing.length > 0) {
    return failed(
      `no source for lines ${missing.join(', ')}: set fulfillmentSourceId or lines[].sourceId by an execution policy of this step`
    );
  }
  const plan: OrderFulfillmentPlan = { plannedAt: now.toISOString(), lines };
  return {
    outcome: 'succeeded',
    update: (o) => void ((o as PlannedOrder).fulfillmentPlan = plan),
    detail: 'sources assigned',
  };
}

/**
 * Sends the order's fulfillment orders to their providers; while a merge window is open the step is
 * deferred until it closes (other orders may still join).
 */
export async function sendToFulfillment(
  fulfillmentOrders: FulfillmentOrderActions,
  orderId: string,
  runId: string
): Promise<OrderActionResult> {
  const sent = await fulfillmentOrders.send({ orderId, eventIdPrefix: runKey(runId) });
  if (sent.notBefore !== undefined) {
    return {
      outcome: 'deferred',
      until: sent.notBefore,
      reason: `merge window open until ${sent.notBefore}`,
    };
  }
  return {
    outcome: 'succeeded',
    // Sending raised events on the order's lines.
    wroteOrder: sent.sent.length > 0,
    detail: sent.sent.length > 0 ? `sent ${sent.sent.join(', ')}` : 'already sent',
  };
}

function failed(reason: string, raise: EventToRaise[] = []): OrderActionResult {
  return { outcome: 'failed', reason, raise };
}

function onOrder(order: Order, name: string): EventToRaise {
  return { name, entityType: 'order', entityId: order.orderId };
}

function onLine(line: OrderLine, name: string): EventToRaise {
  return { name, entityType: 'orderLine', entityId: line.lineId };
}

/** Whether the state framework lets `event` move an entity in `state` (an event it does not know does). */
function allows(
  config: StateFrameworkConfig,
  entityType: 'order' | 'orderLine',
  state: string,
  event: string
): boolean {
  try {
    applyEvent(config, { entityType, currentState: state, event });
    return true;
  } catch (err) {
    if (err instanceof TransitionNotAllowedError) return false;
    throw err;
  }
}

function describe(err: Error): string {
  if (err instanceof ValidationError)
    return `${err.message} ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`;
  return err.message;
}
