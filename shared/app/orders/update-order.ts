import {
  ConflictError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../domain/errors';
import type { Order } from '../../domain/orders/order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { Clock } from '../../ports/clock';
import type { OrderRepository } from '../../ports/orders';
import type { OrderUpdate } from '../../schemas/order-update.schema';
import { orderNotFound } from './get-order';

export interface UpdateOrderDeps {
  orders: OrderRepository;
  validate: (input: unknown) => OrderUpdate;
  clock: Clock;
}

/** Order states in which the customer and ship-to may still change (nothing was reserved or sent). */
const openHeaderStates = new Set(['new', 'on hold', 'in progress']);
/** Line states in which a line's SKU, quantity or price may still change (nothing reserved for it). */
const openLineStates = new Set(['new', 'on hold', 'in progress']);

/**
 * `PATCH /api/v1/orders/{orderId}`: fixes an order's data before it is fulfilled — the customer, the
 * ship-to, a line's SKU, quantity or price — so that a journey step that failed on it can be
 * reprocessed. Refused (409) once the order or the line is reserved, in fulfillment, completed or
 * cancelled. The change goes on the timeline.
 */
export async function updateOrder(deps: UpdateOrderDeps, orderId: string, body: unknown): Promise<Order> {
  const update = deps.validate(body);
  for (let attempt = 1; ; attempt++) {
    const current = await deps.orders.getForUpdate(orderId);
    if (!current) throw orderNotFound(orderId);
    const order = structuredClone(current.order);
    const changed = apply(order, update);
    const now = deps.clock.now();
    order.updatedAt = now.toISOString();
    const entry: TimelineEntry = {
      id: `${orderId}:changed:${now.getTime()}:${attempt}`,
      type: 'timeline',
      orderId,
      at: now.toISOString(),
      kind: 'step',
      name: 'Order Changed',
      entityType: 'order',
      entityId: orderId,
      detail: `changed ${changed.join(', ')}`,
    };
    try {
      await deps.orders.saveWithTimeline(order, current.etag, [entry]);
      return order;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= 5) throw err;
    }
  }
}

function apply(order: Order, update: OrderUpdate): string[] {
  const changed: string[] = [];
  if (update.customer !== undefined || update.shipTo !== undefined) {
    if (!openHeaderStates.has(order.state)) {
      throw new ConflictError(
        `Order ${order.orderId} is ${order.state}; its customer and ship-to can no longer change.`,
        {
          code: 'order-not-changeable',
        }
      );
    }
    if (update.customer !== undefined) {
      order.customer = update.customer;
      changed.push('customer');
    }
    if (update.shipTo !== undefined) {
      order.shipTo = update.shipTo;
      changed.push('shipTo');
    }
  }
  const issues: ValidationIssue[] = [];
  update.lines?.forEach((patch, i) => {
    const line = order.lines.find((l) => l.lineId === patch.lineId);
    if (line === undefined) {
      issues.push({
        path: `/lines/${i}/lineId`,
        message: `order ${order.orderId} has no line ${patch.lineId}`,
      });
      return;
    }
    if (!openLineStates.has(line.state)) {
      throw new ConflictError(
        `Line ${line.lineId} of order ${order.orderId} is ${line.state}; it can no longer change.`,
        {
          code: 'order-not-changeable',
        }
      );
    }
    if (patch.sku !== undefined) line.sku = patch.sku;
    if (patch.quantity !== undefined) line.quantity = patch.quantity;
    if (patch.unitPrice !== undefined) line.unitPrice = patch.unitPrice;
    changed.push(`line ${line.lineId}`);
  });
  if (issues.length > 0) throw new ValidationError('The order change is not valid.', issues);
  return changed;
}
