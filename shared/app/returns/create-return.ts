import { ConflictError, isDomainError } from '../../domain/errors';
import { toCloudEvent } from '../../domain/events/cloud-event';
import type { Order } from '../../domain/orders/order';
import {
  checkReturnLines,
  raiseOnReturn,
  RETURN_INITIAL_STATE,
  returnableQuantities,
  returnedQuantities,
  type OrderReturn,
  type ReturnLineRequest,
  type ReturnLocationRef,
} from '../../domain/returns/order-return';
import { orderNotFound } from '../orders/get-order';
import { raiseOnStoredReturn } from './raise-on-stored-return';
import { traceFields } from '../../telemetry/tracing';
import { conflictAttempts, type ReturnDeps } from './return-deps';

export interface CreatedReturn {
  orderReturn: OrderReturn;
  /** The same idempotency key was used before: this is the return it created. */
  duplicate: boolean;
}

/** The built-in email a new return sends the customer: where to send the goods. */
export const RETURN_INSTRUCTIONS_TEMPLATE = 'return-instructions';

/**
 * `POST /api/v1/returns` (docs/returns.md): a return of shipped lines of an order. Each line may
 * return no more than shipped and not yet returned by another return (not cancelled): a
 * ValidationError names the path otherwise. The return location is the one the return optimizer
 * chooses for the order's ship-to (409 `no-return-location` when no source qualifies). The return is
 * stored with `Return Created` on the order's timeline and starts the return journey in force, which
 * authorizes it and emails the customer the `return-instructions` (the location's address). Without
 * a published return journey that is done here, and `Return Label Created` raised.
 * With an idempotency key the return's id derives from it, so a retried POST creates one return.
 */
export async function createReturn(
  deps: ReturnDeps,
  body: unknown,
  idempotencyKey: string | undefined
): Promise<CreatedReturn> {
  const request = deps.validators.createReturn(body);
  return openReturn(deps, {
    orderId: request.orderId,
    lines: request.lines,
    origin: 'api',
    ...(idempotencyKey === undefined ? {} : { key: idempotencyKey }),
    notify: true,
  });
}

export interface OpenReturnInput {
  orderId: string;
  lines: readonly ReturnLineRequest[];
  /** `api`, or the provider instance it came from. */
  origin: string;
  key?: string;
  externalId?: string;
  /** Send the customer the return instructions (not for a return the store has handled already). */
  notify: boolean;
}

/** Creates (once per key) and authorizes a return; see createReturn. */
export async function openReturn(deps: ReturnDeps, input: OpenReturnInput): Promise<CreatedReturn> {
  const returnId =
    input.key === undefined
      ? deps.ids.newId()
      : `R${deps.hash(`${input.orderId}\n${input.key}`).slice(0, 25)}`;
  let created: OrderReturn | undefined;
  for (let attempt = 1; created === undefined; attempt++) {
    const existing = await deps.returns.get(returnId);
    if (existing !== undefined) return { orderReturn: existing.orderReturn, duplicate: true };
    const current = await deps.orders.getForUpdate(input.orderId);
    if (current === undefined) throw orderNotFound(input.orderId);
    const [shipped, returns] = await Promise.all([
      deps.shipped(input.orderId),
      deps.returns.listByOrder(input.orderId),
    ]);
    const lines = checkReturnLines(
      current.order,
      returnableQuantities(shipped, returnedQuantities(returns)),
      input.lines
    );
    const returnLocation = await chooseLocation(deps, current.order, lines);
    const journey = input.notify ? await deps.journeysInForce.refFor('return', returnId) : undefined;
    const now = deps.clock.now();
    const fresh: OrderReturn = {
      id: returnId,
      type: 'return',
      orderId: input.orderId,
      state: RETURN_INITIAL_STATE,
      lines,
      returnLocation,
      origin: input.origin,
      ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
      ...(journey === undefined ? {} : { journey }),
      appliedEventIds: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const event = { id: `${returnId}-created`, name: 'Return Created', data: { lines, returnLocation } };
    const raised = raiseOnReturn(fresh, event, deps.config, now);
    const orderReturn = { ...raised.orderReturn, appliedEventIds: [event.id] };
    const outcome = await deps.returns.create(orderReturn, current, raised.timeline);
    if (outcome === 'created') {
      await deps.publisher.publish(raised.raised.map((e) => toCloudEvent(e)));
      created = orderReturn;
    } else if (attempt >= conflictAttempts) {
      throw new Error(`Return ${returnId} of order ${input.orderId}: the order kept changing; try again.`);
    }
    // 'exists': the same key won meanwhile (the next round answers it); 'changed': check again.
  }
  if (created.journey !== undefined) {
    // The journey authorizes it, emails the instructions, and refunds and restocks it in time.
    await deps.signals.send([
      {
        kind: 'start',
        journey: created.journey,
        type: 'return',
        entityId: created.id,
        orderId: created.orderId,
        ...traceFields(),
      },
    ]);
    return { orderReturn: created, duplicate: false };
  }
  if (!input.notify) return { orderReturn: created, duplicate: false };
  return { orderReturn: await authorize(deps, created), duplicate: false };
}

/**
 * Authorizing a return without a journey: the customer gets the `return-instructions` email with the location's
 * address (idempotent by the return's id), and `Return Label Created` is raised. An order without a
 * customer email goes on without the email.
 */
async function authorize(deps: ReturnDeps, orderReturn: OrderReturn): Promise<OrderReturn> {
  const order = await deps.orders.get(orderReturn.orderId);
  let detail = 'no customer email: the instructions were not sent';
  if (order?.customer.email) {
    await deps.queueEmail({
      key: `${orderReturn.id}-instructions`,
      orderId: orderReturn.orderId,
      templateId: RETURN_INSTRUCTIONS_TEMPLATE,
      model: { order, orderReturn, returnLocation: orderReturn.returnLocation },
    });
    detail = `${RETURN_INSTRUCTIONS_TEMPLATE} email queued to the customer`;
  }
  const raised = await raiseOnStoredReturn(deps, orderReturn.id, {
    id: `${orderReturn.id}-authorized`,
    name: 'Return Label Created',
    detail,
  });
  return raised.orderReturn;
}

/** The source the return optimizer picks for the order's ship-to and the returned units. */
async function chooseLocation(
  deps: ReturnDeps,
  order: Order,
  lines: readonly { sku: string; quantity: number }[]
): Promise<ReturnLocationRef> {
  const { line1, line2, city, state, postalCode, country, lat, lon } = order.shipTo;
  const shipFrom = Object.fromEntries(
    Object.entries({ line1, line2, city, state, postalCode, country, lat, lon }).filter(
      ([, v]) => v !== undefined
    )
  );
  let answer;
  try {
    answer = await deps.findReturnLocation({
      shipFrom,
      lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
    });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    throw new ConflictError(`No return location can be chosen for order ${order.orderId}: ${err.message}`, {
      code: 'no-return-location',
    });
  }
  if (answer.location === null) {
    throw new ConflictError(`No source can take a return of order ${order.orderId}.`, {
      code: 'no-return-location',
      extensions: { reasons: answer.reasons ?? [] },
    });
  }
  const { sourceId, name, address, distanceKm } = answer.location;
  return { sourceId, name, address: { ...address }, distanceKm };
}
