import { newOutboxMessage, outboxMessageId, type OutboxMessage } from '../../domain/email/outbox-message';
import type { Clock } from '../../ports/clock';
import type { EmailDeliveryQueue, EmailTemplateRepository, Outbox } from '../../ports/email';
import type { EmailValidators, QueueEmailInput } from '../../ports/validators';
import { findEmailTemplate } from './email-templates';

export interface QueueEmailDeps {
  validators: EmailValidators;
  templates: EmailTemplateRepository;
  outbox: Outbox;
  clock: Clock;
  /** The `email-delivery` queue; absent when SMTP_URL is not set (messages then stay `queued`). */
  delivery: EmailDeliveryQueue | undefined;
}

/**
 * Renders the template with the model and queues the email in the order's outbox (status `queued`),
 * then puts it on the delivery queue. The outbox write is the truth: if the queue write is lost, the
 * sweep (sweep-outbox.ts) queues it a minute later. Idempotent by `key`: a key already used answers the stored message
 * and writes nothing, whatever else is passed. NotFoundError for an unknown template;
 * ValidationError when there is no `to` and the model has no `order.customer.email`.
 */
export async function queueEmail(deps: QueueEmailDeps, input: QueueEmailInput): Promise<OutboxMessage> {
  const { key, orderId, templateId, to, model } = deps.validators.queueEmail(input);
  const id = outboxMessageId(key);
  const stored = await deps.outbox.get(orderId, id);
  if (stored !== undefined) return stored;
  const template = await findEmailTemplate(deps.templates, templateId);
  const message = newOutboxMessage(
    { key, orderId, templateId, template, model, ...(to === undefined ? {} : { to }) },
    deps.clock.now()
  );
  if ((await deps.outbox.create(message)) === 'created') {
    await deps.delivery?.send({ orderId, id });
    return message;
  }
  // Another call with the same key won the race: its message is the answer.
  const winner = await deps.outbox.get(orderId, id);
  if (winner === undefined)
    throw new Error(`Outbox message ${id} of order ${orderId} exists but cannot be read.`);
  return winner;
}
