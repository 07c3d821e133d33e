import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import { applyStatusEvent } from './apply-status-event';
import type { FulfillmentOrderDeps } from './fulfillment-order-deps';

/**
 * `POST /api/v1/fulfillment-orders/{foId}/events`: a warehouse status event (picked, packed,
 * shipped with tracking, delivered, cancelled). Validated by its JSON Schema, then applied as
 * applyStatusEvent describes. An event without an id gets one, so its own writes are still once
 * each; sending it again applies it again.
 */
export async function recordFulfillmentOrderEvent(
  deps: FulfillmentOrderDeps,
  fulfillmentOrderId: string,
  body: unknown
): Promise<{ fulfillmentOrder: FulfillmentOrder; duplicate: boolean }> {
  const request = deps.validateEvent(body);
  const { fulfillmentOrder, duplicate } = await applyStatusEvent(deps, fulfillmentOrderId, {
    ...request,
    id: request.id ?? deps.ids.newId(),
  });
  return { fulfillmentOrder, duplicate };
}
