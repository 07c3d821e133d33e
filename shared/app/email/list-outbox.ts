import type { OutboxMessage } from '../../domain/email/outbox-message';
import type { Outbox } from '../../ports/email';
import type { EmailValidators } from '../../ports/validators';

export interface ListOutboxDeps {
  validators: EmailValidators;
  outbox: Outbox;
}

/** `GET /api/v1/outbox?orderId=`: the order's queued emails, oldest first; orderId is required. */
export async function listOutbox(
  deps: ListOutboxDeps,
  query: { orderId?: string }
): Promise<OutboxMessage[]> {
  const { orderId } = deps.validators.outboxQuery(query);
  return deps.outbox.listByOrder(orderId);
}
