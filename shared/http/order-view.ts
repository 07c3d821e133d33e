import type { FulfillmentOrder } from '../domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../domain/orders/order';
import { orderFulfillmentOrderView } from './fulfillment-order-view';
import type { TimelineEntry } from '../domain/orders/timeline';

/**
 * An order as `GET /api/v1/orders/{orderId}` shows it (docs/api.md), with the FOs carrying its lines
 * (a list page shows none: it does not read them).
 */
export function orderView(
  order: Order,
  fulfillmentOrders: readonly FulfillmentOrder[] = [],
  journey: unknown = null
): Record<string, unknown> {
  return {
    orderId: order.orderId,
    externalId: order.externalId,
    channel: order.channel,
    currency: order.currency,
    customer: order.customer,
    shipTo: order.shipTo,
    state: order.state,
    stateReason: order.stateReason ?? null,
    lines: order.lines.map((line) => ({ ...line, stateReason: line.stateReason ?? null })),
    ...(order.taxDocument ? { taxDocument: order.taxDocument } : {}),
    ...(order.externalReferences ? { externalReferences: order.externalReferences } : {}),
    fulfillmentOrders: fulfillmentOrders.map((fo) => orderFulfillmentOrderView(order.orderId, fo)),
    journey,
    ...(order.traceId ? { traceId: order.traceId } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

export function timelineView(entry: TimelineEntry): Record<string, unknown> {
  const { at, kind, name, entityType, entityId, fromState, toState, reason, detail } = entry;
  return { at, kind, name, entityType, entityId, fromState, toState, reason, detail };
}
