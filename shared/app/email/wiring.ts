import { CosmosEmailTemplateRepository } from '../../adapters/cosmos/email-template-repository';
import { CosmosOutbox } from '../../adapters/cosmos/outbox';
import { SmtpSender } from '../../adapters/email/smtp-sender';
import { StorageEmailDeliveryQueue } from '../../adapters/storage/email-delivery-queue';
import { getConfig } from '../../config';
import { emailDeliveryQueueName } from '../../ports/binding-names';
import type { EmailTemplate } from '../../domain/email/email-template';
import type { EmailDeliveryQueue, EmailTemplateRepository, Outbox } from '../../ports/email';
import type { EmailValidators, QueueEmailInput } from '../../ports/validators';
import {
  emailDeliveryRefSchema,
  emailTemplateInputSchema,
  emailTemplateRouteSchema,
  outboxQuerySchema,
  queueEmailInputSchema,
} from '../../schemas/email.schema';
import { compileValidator } from '../../schemas/validator';
import { getClock, getContainer, getStorageClients } from '../platform/wiring';
import { memo } from '../registry';
import type { DeliverEmailDeps, SmtpDelivery } from './deliver-email';
import type { EmailTemplateDeps } from './email-templates';
import type { SweepOutboxDeps } from './sweep-outbox';
import type { ListOutboxDeps } from './list-outbox';
import type { QueueEmailDeps } from './queue-email';

/** User email templates in `config` (partition `email-template`). */
export async function getEmailTemplateRepository(): Promise<EmailTemplateRepository> {
  return new CosmosEmailTemplateRepository(await getContainer('config'), getClock());
}

/** Outbox messages in `orders` (partition = order id). */
export async function getOutbox(): Promise<Outbox> {
  return new CosmosOutbox(await getContainer('orders'), getClock());
}

/** The email validators, compiled on first use. */
export function getEmailValidators(): EmailValidators {
  return memo('validators:email', () => ({
    route: compileValidator<{ id: string }>(emailTemplateRouteSchema, 'email template id'),
    template: compileValidator<EmailTemplate>(emailTemplateInputSchema, 'email template'),
    queueEmail: compileValidator<QueueEmailInput>(queueEmailInputSchema, 'email to queue'),
    outboxQuery: compileValidator<{ orderId: string }>(outboxQuerySchema, 'outbox query'),
    deliveryRef: compileValidator<{ orderId: string; id: string }>(
      emailDeliveryRefSchema,
      'email delivery message'
    ),
  }));
}

/** The SMTP sender of SMTP_URL, or undefined when it is not set (emails then stay `queued`). */
export function getSmtpDelivery(): SmtpDelivery | undefined {
  const smtp = getConfig().smtp;
  if (smtp === undefined) return undefined;
  return memo(
    'email:smtp',
    () => ({ sender: new SmtpSender(smtp.url), from: smtp.from, server: smtp.server }),
    (delivery) => delivery.sender.close()
  );
}

/** The `email-delivery` queue, or undefined when there is no SMTP server to deliver to. */
export function getEmailDeliveryQueue(): EmailDeliveryQueue | undefined {
  if (getConfig().smtp === undefined) return undefined;
  return memo(
    'email:delivery-queue',
    () => new StorageEmailDeliveryQueue(getStorageClients().queues.getQueueClient(emailDeliveryQueueName))
  );
}

/** What putEmailTemplate, getEmailTemplate and listEmailTemplates need. */
export async function emailTemplateDeps(): Promise<EmailTemplateDeps> {
  return {
    validators: getEmailValidators(),
    templates: await getEmailTemplateRepository(),
    clock: getClock(),
  };
}

/** What queueEmail needs. */
export async function queueEmailDeps(): Promise<QueueEmailDeps> {
  return {
    validators: getEmailValidators(),
    templates: await getEmailTemplateRepository(),
    outbox: await getOutbox(),
    clock: getClock(),
    delivery: getEmailDeliveryQueue(),
  };
}

/** What listOutbox needs. */
export async function listOutboxDeps(): Promise<ListOutboxDeps> {
  return {
    validators: getEmailValidators(),
    outbox: await getOutbox(),
    smtpConfigured: getConfig().smtp !== undefined,
  };
}

/** What deliverEmail and recordUndeliveredEmail need. */
export async function deliverEmailDeps(): Promise<DeliverEmailDeps> {
  return {
    validators: getEmailValidators(),
    outbox: await getOutbox(),
    smtp: getSmtpDelivery(),
    clock: getClock(),
  };
}

/** What sweepOutbox needs. */
export async function sweepOutboxDeps(): Promise<SweepOutboxDeps> {
  return { outbox: await getOutbox(), delivery: getEmailDeliveryQueue(), clock: getClock() };
}

export {
  emailDeliveryMaxDequeueCount,
  emailDeliveryPoisonQueueName,
  emailDeliveryQueueName,
} from '../../ports/binding-names';
