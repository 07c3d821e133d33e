import { app, type InvocationContext } from '@azure/functions';
import { deliverEmail, recordUndeliveredEmail } from '../shared/app/email/deliver-email';
import { getEmailTemplate, listEmailTemplates, putEmailTemplate } from '../shared/app/email/email-templates';
import { listOutbox } from '../shared/app/email/list-outbox';
import { sweepOutbox } from '../shared/app/email/sweep-outbox';
import {
  deliverEmailDeps,
  emailDeliveryMaxDequeueCount,
  emailDeliveryPoisonQueueName,
  emailDeliveryQueueName,
  emailTemplateDeps,
  listOutboxDeps,
  sweepOutboxDeps,
} from '../shared/app/email/wiring';
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

/** The delivery queue: each outbox message sent by SMTP once; a transient failure throws, so the queue retries. */
app.storageQueue('deliverEmail', {
  queueName: emailDeliveryQueueName,
  connection: 'AzureWebJobsStorage',
  handler: async (message: unknown, context: InvocationContext) => {
    const answer = await deliverEmail(await deliverEmailDeps(), message);
    if (answer.outcome === 'invalid') context.warn(`email delivery message dropped: ${answer.detail}`);
  },
});

/** Messages the queue gave up on: the outbox message is marked `failed` with the last error. */
app.storageQueue('recordUndeliveredEmail', {
  queueName: emailDeliveryPoisonQueueName,
  connection: 'AzureWebJobsStorage',
  handler: async (message: unknown, context: InvocationContext) => {
    const answer = await recordUndeliveredEmail(
      await deliverEmailDeps(),
      message,
      emailDeliveryMaxDequeueCount
    );
    if (answer.outcome === 'rejected' && answer.message)
      context.warn(`email ${answer.message.id} not delivered: ${answer.message.statusReason}`);
  },
});

/** Every 30 seconds: outbox messages delivery lost track of go back on the queue. */
app.timer('sweepEmailOutbox', {
  schedule: '*/30 * * * * *',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const { requeued } = await sweepOutbox(await sweepOutboxDeps());
    if (requeued > 0) context.log(`email outbox sweep: ${requeued} messages queued again`);
  },
});
