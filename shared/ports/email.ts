import type { EmailTemplate } from '../domain/email/email-template';
import type { EmailDeliveryRef, OutgoingEmail } from '../domain/email/email-delivery';
import type { OutboxMessage } from '../domain/email/outbox-message';

/** A template users stored (built-ins live in the code, not here). */
export interface StoredEmailTemplate extends EmailTemplate {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** User email templates in the `config` container. */
export interface EmailTemplateRepository {
  get(id: string): Promise<StoredEmailTemplate | undefined>;
  /** Every stored template, ordered by id. */
  list(): Promise<StoredEmailTemplate[]>;
  /** Creates or overwrites the template (last write wins: templates are not versioned). */
  put(template: StoredEmailTemplate): Promise<void>;
}

/** The outbox: emails queued per order, in the order's partition of `orders`. */
export interface Outbox {
  /** Stores the message; 'exists' (and nothing written) when its id is taken. */
  create(message: OutboxMessage): Promise<'created' | 'exists'>;
  get(orderId: string, id: string): Promise<OutboxMessage | undefined>;
  /** The order's messages, oldest first. */
  listByOrder(orderId: string): Promise<OutboxMessage[]>;
  /** The message with its ETag, for a guarded write. */
  getForUpdate(orderId: string, id: string): Promise<{ message: OutboxMessage; etag: string } | undefined>;
  /** Writes the message if its ETag is still `etag`: its new ETag, or undefined when someone else wrote first. */
  replaceIfMatch(message: OutboxMessage, etag: string): Promise<string | undefined>;
  /**
   * Messages, across orders, that delivery may have lost track of: last put on the queue before
   * `queuedBefore`, and `queued`, or `sending` under a claim older than `claimedBefore`; at most `limit`.
   */
  listStranded(input: {
    queuedBefore: string;
    claimedBefore: string;
    limit: number;
  }): Promise<OutboxMessage[]>;
}

/** The `email-delivery` queue: one message per outbox message to send. */
export interface EmailDeliveryQueue {
  send(ref: EmailDeliveryRef): Promise<void>;
}

/** What an SMTP server answered to a mail. */
export type EmailSendResult =
  | { outcome: 'sent'; smtpResponse: string }
  /** Rejected for good (a 5xx reply): sending it again would be rejected again. */
  | { outcome: 'rejected'; reason: string };

/**
 * Sends one mail. Throws on a transient failure (connection refused or dropped, a 4xx reply), so
 * the caller tries again later; never puts credentials in what it throws or answers.
 */
export interface EmailSender {
  send(mail: OutgoingEmail): Promise<EmailSendResult>;
}
