import { getEmailTemplate, listEmailTemplates, putEmailTemplate } from '../shared/app/email/email-templates';
import { listOutbox } from '../shared/app/email/list-outbox';
import { emailTemplateDeps, listOutboxDeps } from '../shared/app/email/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { savedAnswer } from '../shared/http/saved-answer';

const templatesPath = '/api/v1/email-templates';

/** PUT /api/v1/email-templates/{id}: create (201) or replace (200) a user template; 409 on a built-in id. */
export const putEmailTemplateHandler = route(
  'putEmailTemplate',
  'PUT',
  'v1/email-templates/{id}',
  async (request) => {
    const body = await jsonBody(request);
    const result = await putEmailTemplate(await emailTemplateDeps(), request.params.id ?? '', body.value);
    return savedAnswer(templatesPath, result.template.id, result.created, result.template);
  }
);

/** GET /api/v1/email-templates/{id}: a built-in or user template, or 404. */
export const getEmailTemplateHandler = route(
  'getEmailTemplate',
  'GET',
  'v1/email-templates/{id}',
  async (request) => ({
    jsonBody: await getEmailTemplate(await emailTemplateDeps(), request.params.id ?? ''),
  })
);

/** GET /api/v1/email-templates: `{items}`, built-ins (`builtIn: true`) first. */
export const listEmailTemplatesHandler = route(
  'listEmailTemplates',
  'GET',
  'v1/email-templates',
  async () => ({
    jsonBody: { items: await listEmailTemplates(await emailTemplateDeps()) },
  })
);

/** GET /api/v1/outbox?orderId=: `{items}`, the order's emails with their delivery status, oldest first. */
export const listOutboxHandler = route('listOutbox', 'GET', 'v1/outbox', async (request) => {
  const orderId = request.query.get('orderId');
  return {
    jsonBody: { items: await listOutbox(await listOutboxDeps(), orderId === null ? {} : { orderId }) },
  };
});
