import { ValidationError } from '../errors';
import type { EmailTemplate } from './email-template';
import { renderEmail } from './render-email';

/**
 * `queued`: waiting for delivery; `sending`: a worker claimed it (`claimedAt`) and is talking to the
 * SMTP server; `sent`: the server accepted it (never sent again); `failed`: rejected for good or given
 * up on (`statusReason` says why).
 */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

/**
 * An email in the order's outbox (`orders` container, the order's partition): the source of truth of
 * its delivery (docs/email-and-invoices.md).
 */
export interface OutboxMessage {
  /** `outbox:{key}`: the key makes queuing idempotent. */
  id: string;
  type: 'outbox';
  orderId: string;
  templateId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  status: OutboxStatus;
  /** When it was last put on the delivery queue (the sweep puts it there again when it lingers). */
  queuedAt?: string;
  /** When a worker claimed it for sending; a claim older than the claim timeout may be taken over. */
  claimedAt?: string;
  /** SMTP deliveries tried so far. */
  attempts?: number;
  /** The last failed attempt's error (a transient one: the message is tried again). */
  lastError?: string;
  /** Why it failed for good; for a `queued` message in an answer, why nothing sends it. */
  statusReason?: string;
  sentAt?: string;
  /** The `Message-ID` header it was sent with: the same on every attempt (derived from the id). */
  messageId?: string;
  /** The SMTP server's answer to the accepted message (e.g. `250 OK: queued as 1A2B`). */
  smtpResponse?: string;
  failedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** The ValidationError code of an email with no address to go to. */
export const emailAddressMissingCode = 'email-address-missing';

export function outboxMessageId(key: string): string {
  return `outbox:${key}`;
}

export interface OutboxMessageInput {
  key: string;
  orderId: string;
  templateId: string;
  template: EmailTemplate;
  /** Defaults to the model's `order.customer.email`. */
  to?: string;
  model: Readonly<Record<string, unknown>>;
}

/** The queued message: the template rendered with the model, addressed; ValidationError without an address. */
export function newOutboxMessage(input: OutboxMessageInput, now: Date): OutboxMessage {
  const to = input.to ?? customerEmailOf(input.model);
  if (to === undefined) {
    throw new ValidationError(
      `No address for the email to order ${input.orderId}: give "to" or a model with order.customer.email.`,
      [{ path: '/to', message: 'is required when the model has no order.customer.email' }],
      { code: emailAddressMissingCode }
    );
  }
  const at = now.toISOString();
  return {
    id: outboxMessageId(input.key),
    type: 'outbox',
    orderId: input.orderId,
    templateId: input.templateId,
    to,
    ...renderEmail(input.template, input.model),
    status: 'queued',
    queuedAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

function customerEmailOf(model: Readonly<Record<string, unknown>>): string | undefined {
  const order = model.order as { customer?: { email?: unknown } } | undefined;
  const email = order?.customer?.email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim() : undefined;
}
