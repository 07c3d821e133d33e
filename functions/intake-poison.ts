import { app, type InvocationContext } from '@azure/functions';
import { recordInboundError } from '../shared/app/error-lists/record-inbound-error';
import { recordInboundErrorDeps } from '../shared/app/error-lists/wiring';
import { intakeMaxDequeueCount, intakePoisonQueueName, intakeQueueName } from '../shared/app/intake/wiring';

/**
 * The intake queue's poison queue: each message the host gave up on becomes an entry on the
 * provider-inbound list. The host deletes the poison message only when this returns, i.e. after the
 * entry is stored; the entry id comes from the poison message id, so a redelivery records nothing twice.
 */
export async function recordPoisonedIntake(message: unknown, context: InvocationContext): Promise<void> {
  const messageId = context.triggerMetadata?.id;
  if (typeof messageId !== 'string' || messageId === '')
    throw new Error('The queue trigger gave no message id.');
  const outcome = await recordInboundError(await recordInboundErrorDeps(), {
    queue: intakeQueueName,
    messageId,
    message,
    attempts: intakeMaxDequeueCount,
  });
  context.log(`poisoned intake message ${messageId}: ${outcome} on the provider-inbound error list`);
}

app.storageQueue('recordPoisonedIntake', {
  queueName: intakePoisonQueueName,
  connection: 'AzureWebJobsStorage',
  handler: recordPoisonedIntake,
});
