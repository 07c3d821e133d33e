import { CosmosEmailTemplateRepository } from '../../adapters/cosmos/email-template-repository';
import { CosmosOutbox } from '../../adapters/cosmos/outbox';
import type { EmailTemplate } from '../../domain/email/email-template';
import type { EmailTemplateRepository, Outbox } from '../../ports/email';
import type { EmailValidators, QueueEmailInput } from '../../ports/validators';
import {
  emailTemplateInputSchema,
  emailTemplateRouteSchema,
  outboxQuerySchema,
  queueEmailInputSchema,
} from '../../schemas/email.schema';
import { compileValidator } from '../../schemas/validator';
import { getClock, getContainer } from '../platform/wiring';
import { memo } from '../registry';
import type { EmailTemplateDeps } from './email-templates';
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
  }));
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
  };
}

/** What listOutbox needs. */
export async function listOutboxDeps(): Promise<ListOutboxDeps> {
  return { validators: getEmailValidators(), outbox: await getOutbox() };
}
