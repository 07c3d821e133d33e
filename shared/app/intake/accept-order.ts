import { newOrder, type OrderIntake } from '../../domain/orders/order';
import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { IntakeCounters } from '../../ports/metrics';
import type { IdGenerator, IntakeArchive, IntakeClaims, IntakeQueue } from '../../ports/orders';
import { traceFields } from '../../telemetry/tracing';

export interface AcceptOrderDeps {
  validate: (input: unknown) => OrderIntake;
  claims: IntakeClaims;
  archive: IntakeArchive;
  queue: IntakeQueue;
  ids: IdGenerator;
  clock: Clock;
  /** Counts the bodies intake refuses (docs/metrics.md); accepted ones are counted by the consumer. */
  counters: Pick<IntakeCounters, 'add'>;
}

export interface AcceptedOrder {
  orderId: string;
  duplicate: boolean;
}

/**
 * Bodies up to this many UTF-16 units travel inside the queue message (at most 3 UTF-8 bytes each, so
 * the message stays under the queue's 64 KiB after base64); larger ones are archived first and the
 * message only names the order.
 */
export const maxInlineBodyChars = 12_000;

/**
 * Direct intake (docs/order-intake.md, step 1): validate, claim the Idempotency-Key, queue the body as received,
 * answer. The queued message is the durable copy the 202 promises; the consumer archives the body to
 * blob before it creates the order (a body too large to queue is archived here instead).
 *
 * Every duplicate queues its body again rather than checking whether the first one got as far as the
 * queue: the first sender may have crashed before queuing, and the consumer creates each order id
 * once, so a duplicate costs a queue write and a no-op, never a second order.
 */
export async function acceptOrder(
  deps: AcceptOrderDeps,
  body: unknown,
  rawBody: string,
  idempotencyKey: string | undefined
): Promise<AcceptedOrder> {
  const orderId = deps.ids.newId();
  let key: string;
  try {
    const intake = deps.validate(body);
    key = idempotencyKey ?? intake.externalId;
    // Line-level rules (unique line ids) are checked now, so a bad order is refused before it is stored.
    newOrder(intake, { orderId, intakeKey: key }, deps.clock.now());
  } catch (err) {
    if (err instanceof ValidationError) await deps.counters.add({ rejected: 1 });
    throw err;
  }

  const claim = await deps.claims.claim(key, orderId);
  // The order's trace continues from this request in the queue consumer and the journey.
  const trace = traceFields();
  // The consumer counts the intake as received (and a duplicate) from its message, once per id, so the
  // request does not wait on a write to the month's one counter document (docs/metrics.md).
  const counted = claim.duplicate ? { duplicateId: orderId } : {};
  if (rawBody.length <= maxInlineBodyChars) {
    await deps.queue.send({ orderId: claim.orderId, intakeKey: key, body: rawBody, ...trace, ...counted });
  } else {
    await deps.archive.putIfAbsent(claim.orderId, rawBody);
    await deps.queue.send({ orderId: claim.orderId, intakeKey: key, ...trace, ...counted });
  }
  return { orderId: claim.orderId, duplicate: claim.duplicate };
}
