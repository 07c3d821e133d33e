import { createHash } from 'node:crypto';
import type { OutboxMessage } from './outbox-message';

/** A claim older than this belongs to a worker that died while sending: another may take it over. */
export const emailClaimTimeoutMs = 5 * 60_000;

/** A `queued` message not sent after this long is put on the delivery queue again (the sweep). */
export const emailRequeueAfterMs = 60_000;

/** What the delivery queue carries: where the outbox message is. */
export interface EmailDeliveryRef {
  orderId: string;
  id: string;
}

/** The mail an outbox message becomes: the parts the SMTP sender needs. */
export interface OutgoingEmail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * The `Message-ID` of an outbox message: derived from its order and id only, so every attempt (a
 * resend after a worker died mid-send included) carries the same one and a receiver can recognise it.
 */
export function deliveryMessageId(message: Pick<OutboxMessage, 'orderId' | 'id'>, from: string): string {
  const hash = createHash('sha256').update(`${message.orderId}\n${message.id}`).digest('hex').slice(0, 32);
  const domain = /@([^@\s>]+)>?\s*$/.exec(from)?.[1] ?? 'openiom.local';
  return `<outbox.${hash}@${domain}>`;
}

export function outgoingEmailOf(message: OutboxMessage, from: string): OutgoingEmail {
  return {
    messageId: deliveryMessageId(message, from),
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
  };
}

/**
 * Whether a worker may claim the message now: `queued`, or `sending` under a claim older than the
 * timeout (its worker died). `sent` and `failed` are final; a fresh claim belongs to a live worker.
 */
export function claimableReason(
  message: OutboxMessage,
  now: Date,
  claimTimeoutMs = emailClaimTimeoutMs
): 'claimable' | 'final' | 'claimed' {
  if (message.status === 'sent' || message.status === 'failed') return 'final';
  if (message.status === 'queued') return 'claimable';
  const claimedAt = Date.parse(message.claimedAt ?? message.updatedAt);
  return now.getTime() - claimedAt >= claimTimeoutMs ? 'claimable' : 'claimed';
}

/**
 * Whether delivery lost track of the message, so the sweep queues it again: `queued` and last queued
 * more than `emailRequeueAfterMs` ago, or `sending` under a claim older than the claim timeout (and
 * not queued again within `emailRequeueAfterMs`).
 */
export function isStranded(message: OutboxMessage, now: Date): boolean {
  const queuedLongAgo =
    now.getTime() - Date.parse(message.queuedAt ?? message.createdAt) >= emailRequeueAfterMs;
  if (message.status === 'queued') return queuedLongAgo;
  return message.status === 'sending' && queuedLongAgo && claimableReason(message, now) === 'claimable';
}

/** The message claimed by a worker for one SMTP attempt. */
export function claimed(message: OutboxMessage, now: Date): OutboxMessage {
  const at = now.toISOString();
  return {
    ...message,
    status: 'sending',
    claimedAt: at,
    attempts: (message.attempts ?? 0) + 1,
    updatedAt: at,
  };
}

/** The server accepted it. */
export function markedSent(
  message: OutboxMessage,
  sent: { messageId: string; smtpResponse: string },
  now: Date
): OutboxMessage {
  const at = now.toISOString();
  const { claimedAt: _claim, lastError: _error, statusReason: _reason, ...rest } = message;
  return { ...rest, status: 'sent', sentAt: at, ...sent, updatedAt: at };
}

/** A transient failure: back to `queued`, the claim released, for the queue's next delivery. */
export function markedForRetry(message: OutboxMessage, error: string, now: Date): OutboxMessage {
  const { claimedAt: _claim, ...rest } = message;
  return { ...rest, status: 'queued', lastError: error, updatedAt: now.toISOString() };
}

/** Failed for good: rejected by the server, or given up on after the queue's last delivery. */
export function markedFailed(message: OutboxMessage, reason: string, now: Date): OutboxMessage {
  const at = now.toISOString();
  const { claimedAt: _claim, ...rest } = message;
  return { ...rest, status: 'failed', statusReason: reason, failedAt: at, updatedAt: at };
}

/** Put on the delivery queue again by the sweep. */
export function markedRequeued(message: OutboxMessage, now: Date): OutboxMessage {
  const at = now.toISOString();
  return { ...message, queuedAt: at, updatedAt: at };
}

/**
 * How an SMTP failure is handled: a 5xx reply rejects the message for good (RFC 5321: do not repeat
 * it unchanged); a 4xx reply, a refused or dropped connection, a timeout is worth another try. A
 * refused login (`EAUTH`, 535) is about the server's settings, not the message: tried again too.
 */
export function smtpFailureKind(
  responseCode: number | undefined,
  errorCode?: string
): 'permanent' | 'transient' {
  if (errorCode === 'EAUTH') return 'transient';
  return responseCode !== undefined && responseCode >= 500 && responseCode < 600 ? 'permanent' : 'transient';
}

/** What a `queued` message says in an answer when no SMTP server is configured. */
export const smtpNotConfiguredReason =
  'not sent: SMTP_URL is not set (set it and restart; queued messages are then sent)';
