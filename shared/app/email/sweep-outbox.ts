import {
  emailClaimTimeoutMs,
  emailRequeueAfterMs,
  isStranded,
  markedRequeued,
} from '../../domain/email/email-delivery';
import type { Clock } from '../../ports/clock';
import type { EmailDeliveryQueue, Outbox } from '../../ports/email';

export interface SweepOutboxDeps {
  outbox: Outbox;
  /** Absent when SMTP_URL is not set: nothing is sent, so nothing is re-queued. */
  delivery: EmailDeliveryQueue | undefined;
  clock: Clock;
}

/** Most messages one sweep re-queues; the next sweep takes the rest. */
const sweepLimit = 100;

/**
 * The timer's sweep: puts back on the delivery queue what delivery lost track of (isStranded) — a
 * message still `queued` a minute after it was last queued (the worker crashed between the outbox
 * write and the queue write, or the queue message was handled while SMTP_URL was not set), and a
 * `sending` claim older than the claim timeout (its worker died). `queuedAt` is written first
 * (ETag-guarded, so two sweeps never both queue it); a lost queue write is found by the next sweep.
 */
export async function sweepOutbox(deps: SweepOutboxDeps): Promise<{ requeued: number }> {
  if (deps.delivery === undefined) return { requeued: 0 };
  const now = deps.clock.now();
  const stranded = await deps.outbox.listStranded({
    queuedBefore: new Date(now.getTime() - emailRequeueAfterMs).toISOString(),
    claimedBefore: new Date(now.getTime() - emailClaimTimeoutMs).toISOString(),
    limit: sweepLimit,
  });
  let requeued = 0;
  for (const candidate of stranded) {
    const found = await deps.outbox.getForUpdate(candidate.orderId, candidate.id);
    // Delivered, claimed or queued again by another sweep since the query: left alone.
    if (found === undefined || !isStranded(found.message, now)) continue;
    const marked = markedRequeued(found.message, now);
    if ((await deps.outbox.replaceIfMatch(marked, found.etag)) === undefined) continue;
    await deps.delivery.send({ orderId: marked.orderId, id: marked.id });
    requeued += 1;
  }
  return { requeued };
}
