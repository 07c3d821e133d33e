import { smtpNotConfiguredReason } from '../../domain/email/email-delivery';
import type { OutboxMessage } from '../../domain/email/outbox-message';
import type { Outbox } from '../../ports/email';
import type { EmailValidators } from '../../ports/validators';

export interface ListOutboxDeps {
  validators: EmailValidators;
  outbox: Outbox;
  /** Whether SMTP_URL is set: without it, queued messages say that nothing sends them. */
  smtpConfigured: boolean;
}

/**
 * `GET /api/v1/outbox?orderId=`: the order's emails with their delivery status, oldest first;
 * orderId is required.
 */
export async function listOutbox(
  deps: ListOutboxDeps,
  query: { orderId?: string }
): Promise<OutboxMessage[]> {
  const { orderId } = deps.validators.outboxQuery(query);
  const messages = await deps.outbox.listByOrder(orderId);
  if (deps.smtpConfigured) return messages;
  return messages.map((m) => (m.status === 'queued' ? { ...m, statusReason: smtpNotConfiguredReason } : m));
}
