import { ValidationError } from '../errors';
import type { EmailTemplate } from './email-template';
import { renderEmail } from './render-email';

/**
 * An email waiting in the order's outbox (`orders` container, the order's partition). Delivery is
 * another story: a message stays `queued` until something sends it.
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
  status: 'queued';
  createdAt: string;
  updatedAt: string;
}

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
      { code: 'email-address-missing' }
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
    createdAt: at,
    updatedAt: at,
  };
}

function customerEmailOf(model: Readonly<Record<string, unknown>>): string | undefined {
  const order = model.order as { customer?: { email?: unknown } } | undefined;
  const email = order?.customer?.email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim() : undefined;
}
