import { newOrder, type OrderIntake } from '../domain/orders/order';
import type { Clock } from '../ports/clock';
import type { IdGenerator, IntakeArchive, IntakeClaims, IntakeQueue } from '../ports/orders';

export interface AcceptOrderDeps {
  validate: (input: unknown) => OrderIntake;
  claims: IntakeClaims;
  archive: IntakeArchive;
  queue: IntakeQueue;
  ids: IdGenerator;
  clock: Clock;
}

export interface AcceptedOrder {
  orderId: string;
  duplicate: boolean;
}

/**
 * Direct intake (DESIGN §4 step 1): validate, claim the Idempotency-Key, archive the body as
 * received, queue it, answer. A duplicate of a claim that never finished queuing (its sender
 * crashed, or it is still in flight) queues it again: the consumer creates each order id once.
 */
export async function acceptOrder(
  deps: AcceptOrderDeps,
  body: unknown,
  rawBody: string,
  idempotencyKey: string | undefined
): Promise<AcceptedOrder> {
  const intake = deps.validate(body);
  const key = idempotencyKey ?? intake.externalId;
  const orderId = deps.ids.newId();
  // Line-level rules (unique line ids) are checked now, so a bad order is refused before it is stored.
  newOrder(intake, { orderId, intakeKey: key }, deps.clock.now());

  const claim = await deps.claims.claim(key, orderId);
  if (claim.duplicate && claim.settled) return { orderId: claim.orderId, duplicate: true };
  await deps.archive.putIfAbsent(claim.orderId, rawBody);
  await deps.queue.send({ orderId: claim.orderId, intakeKey: key });
  await deps.claims.settle(key, claim.orderId);
  return { orderId: claim.orderId, duplicate: claim.duplicate };
}
