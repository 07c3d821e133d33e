import {
  claimableReason,
  claimed,
  markedFailed,
  markedForRetry,
  markedSent,
  outgoingEmailOf,
} from '../../domain/email/email-delivery';
import type { OutboxMessage } from '../../domain/email/outbox-message';
import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { EmailSender, Outbox } from '../../ports/email';
import type { EmailValidators } from '../../ports/validators';

/** The SMTP side of delivery: absent when SMTP_URL is not set. */
export interface SmtpDelivery {
  sender: EmailSender;
  from: string;
  /** The server without credentials, for failure reasons. */
  server: string;
}

export interface DeliverEmailDeps {
  validators: Pick<EmailValidators, 'deliveryRef'>;
  outbox: Outbox;
  smtp: SmtpDelivery | undefined;
  clock: Clock;
}

export type DeliveryOutcome =
  /** The server accepted it. */
  | 'sent'
  /** The server rejected it for good: `failed`. */
  | 'rejected'
  /** Already `sent` or `failed`: a duplicate queue message. */
  | 'final'
  /** A live worker holds the claim (the sweep hands it on if that worker dies). */
  | 'claimed'
  /** Another worker claimed it between the read and the claim. */
  | 'lost-race'
  | 'not-configured'
  | 'missing'
  | 'invalid';

export interface DeliveryAnswer {
  outcome: DeliveryOutcome;
  message?: OutboxMessage;
  detail?: string;
}

/**
 * The `email-delivery` consumer: claims the outbox message (`sending`, ETag-guarded, with the claim
 * time), sends it, and marks it `sent` (with `sentAt`, `messageId`, `smtpResponse`, `attempts`) or,
 * on a 5xx rejection, `failed`. A transient failure puts it back to `queued` with `lastError` and
 * throws, so the queue delivers it again later (the poison queue after the last try). A message
 * already `sent` is never sent again; without SMTP_URL nothing is sent and the message stays `queued`.
 */
export async function deliverEmail(deps: DeliverEmailDeps, raw: unknown): Promise<DeliveryAnswer> {
  let ref: { orderId: string; id: string };
  try {
    ref = deps.validators.deliveryRef(raw);
  } catch (err) {
    // A malformed queue message can never succeed: retrying it would only poison it.
    if (err instanceof ValidationError) return { outcome: 'invalid', detail: err.message };
    throw err;
  }
  if (deps.smtp === undefined) return { outcome: 'not-configured' };
  const found = await deps.outbox.getForUpdate(ref.orderId, ref.id);
  if (found === undefined) return { outcome: 'missing' };
  const now = deps.clock.now();
  const claimable = claimableReason(found.message, now);
  if (claimable !== 'claimable') {
    return { outcome: claimable === 'final' ? 'final' : 'claimed', message: found.message };
  }
  const claim = claimed(found.message, now);
  const claimEtag = await deps.outbox.replaceIfMatch(claim, found.etag);
  if (claimEtag === undefined) return { outcome: 'lost-race' };

  const mail = outgoingEmailOf(claim, deps.smtp.from);
  let result;
  try {
    result = await deps.smtp.sender.send(mail);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await deps.outbox.replaceIfMatch(markedForRetry(claim, error, deps.clock.now()), claimEtag);
    throw err;
  }
  const done =
    result.outcome === 'sent'
      ? markedSent(claim, { messageId: mail.messageId, smtpResponse: result.smtpResponse }, deps.clock.now())
      : markedFailed(claim, `rejected by ${deps.smtp.server}: ${result.reason}`, deps.clock.now());
  // A conflict here means another worker took the claim over: it writes the outcome of its own try.
  await deps.outbox.replaceIfMatch(done, claimEtag);
  return { outcome: result.outcome, message: done };
}

/**
 * The `email-delivery-poison` consumer: the queue gave up on the message after its last delivery,
 * so a message still `queued` is marked `failed` with the last attempt's error. One that was sent or
 * failed meanwhile, or that a live worker is sending, is left as it is.
 */
export async function recordUndeliveredEmail(
  deps: Pick<DeliverEmailDeps, 'validators' | 'outbox' | 'clock'>,
  raw: unknown,
  deliveries: number
): Promise<DeliveryAnswer> {
  let ref: { orderId: string; id: string };
  try {
    ref = deps.validators.deliveryRef(raw);
  } catch (err) {
    if (err instanceof ValidationError) return { outcome: 'invalid', detail: err.message };
    throw err;
  }
  for (;;) {
    const found = await deps.outbox.getForUpdate(ref.orderId, ref.id);
    if (found === undefined) return { outcome: 'missing' };
    const now = deps.clock.now();
    const claimable = claimableReason(found.message, now);
    if (claimable !== 'claimable') {
      return { outcome: claimable === 'final' ? 'final' : 'claimed', message: found.message };
    }
    const reason = `gave up after ${deliveries} deliveries: ${found.message.lastError ?? 'no attempt reached the SMTP server'}`;
    const failed = markedFailed(found.message, reason, now);
    if ((await deps.outbox.replaceIfMatch(failed, found.etag)) !== undefined)
      return { outcome: 'rejected', message: failed };
  }
}
