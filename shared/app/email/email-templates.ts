import { builtInEmailTemplates, isBuiltInEmailTemplate } from '../../domain/email/built-in-templates';
import {
  checkEmailTemplate,
  type EmailTemplate,
  type NamedEmailTemplate,
} from '../../domain/email/email-template';
import { ConflictError, NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { EmailTemplateRepository } from '../../ports/email';
import type { EmailValidators } from '../../ports/validators';
import { collectIssues } from '../versioned-resources/collect-issues';

export interface EmailTemplateDeps {
  validators: EmailValidators;
  templates: EmailTemplateRepository;
  clock: Clock;
}

/**
 * Creates or replaces a user template (`PUT /api/v1/email-templates/{id}`): 400 with paths when the
 * body is not valid or a part does not parse, 409 `built-in-email-template` on a built-in id.
 */
export async function putEmailTemplate(
  deps: EmailTemplateDeps,
  rawId: string,
  body: unknown
): Promise<{ template: NamedEmailTemplate; created: boolean }> {
  const issues: ValidationIssue[] = [];
  const route = collectIssues(() => deps.validators.route({ id: rawId }), issues);
  // A built-in id is refused whatever the body: no body could make that PUT succeed.
  if (route !== undefined && isBuiltInEmailTemplate(route.id)) {
    throw new ConflictError(`Email template ${route.id} is built in and cannot be changed; use another id.`, {
      code: 'built-in-email-template',
    });
  }
  const input = collectIssues(() => deps.validators.template(body), issues);
  if (route === undefined || input === undefined)
    throw new ValidationError('The email template is not valid.', issues);
  const { id } = route;
  const { subject, text, html } = checkEmailTemplate(input);
  const existing = await deps.templates.get(id);
  const now = deps.clock.now().toISOString();
  const stored = {
    id,
    subject,
    text,
    ...(html === undefined ? {} : { html }),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.templates.put(stored);
  return { template: { ...stored, builtIn: false }, created: existing === undefined };
}

/** A built-in or user template; NotFoundError `email-template-not-found` otherwise. */
export async function getEmailTemplate(deps: EmailTemplateDeps, rawId: string): Promise<NamedEmailTemplate> {
  const { id } = deps.validators.route({ id: rawId });
  const builtIn = builtInOf(id);
  if (builtIn !== undefined) return builtIn;
  const stored = await deps.templates.get(id);
  if (stored === undefined) throw emailTemplateNotFound(id);
  return { ...stored, builtIn: false };
}

/** Every template, built-ins first, each group ordered by id. */
export async function listEmailTemplates(deps: EmailTemplateDeps): Promise<NamedEmailTemplate[]> {
  const builtIns = Object.keys(builtInEmailTemplates)
    .sort()
    .map((id) => builtInOf(id)!);
  const stored = await deps.templates.list();
  return [...builtIns, ...stored.map((template) => ({ ...template, builtIn: false }))];
}

/** The template a message renders with: built-in or stored, or NotFoundError. */
export async function findEmailTemplate(
  templates: EmailTemplateRepository,
  id: string
): Promise<EmailTemplate> {
  const found = isBuiltInEmailTemplate(id) ? builtInEmailTemplates[id] : await templates.get(id);
  if (found === undefined) throw emailTemplateNotFound(id);
  return found;
}

function builtInOf(id: string): NamedEmailTemplate | undefined {
  if (!isBuiltInEmailTemplate(id)) return undefined;
  return { id, ...builtInEmailTemplates[id]!, builtIn: true };
}

function emailTemplateNotFound(id: string): NotFoundError {
  return new NotFoundError(`No email template ${id}.`, { code: 'email-template-not-found' });
}
