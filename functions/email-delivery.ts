import { app, type InvocationContext } from '@azure/functions';
import { deliverEmail, recordUndeliveredEmail } from '../shared/app/email/deliver-email';
import { sweepOutbox } from '../shared/app/email/sweep-outbox';
import {
  deliverEmailDeps,
  emailDeliveryMaxDequeueCount,
  emailDeliveryPoisonQueueName,
  emailDeliveryQueueName,
  sweepOutboxDeps,
} from '../shared/app/email/wiring';

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
