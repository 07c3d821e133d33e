import type { EmailTemplate } from '../domain/email/email-template';
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
}
