import { app, type InvocationContext } from '@azure/functions';
import { createQueuedOrders } from '../shared/app/intake/create-order';
import { createQueuedOrdersDeps, intakeQueueName } from '../shared/app/intake/wiring';

/**
 * The intake queue: creates each queued order once; failures retry, then land on the poison queue,
 * where `recordPoisonedIntake` (functions/intake-poison.ts) puts them on the provider-inbound error list.
 */
export async function createQueuedOrder(message: unknown, context: InvocationContext): Promise<void> {
  const outcomes = await createQueuedOrders(await createQueuedOrdersDeps(), message);
  const requeued = outcomes.filter((outcome) => outcome === 'requeued').length;
  if (requeued > 0)
    context.warn(`${requeued} of ${outcomes.length} intakes failed and were queued again alone`);
}

app.storageQueue('createQueuedOrder', {
  queueName: intakeQueueName,
  connection: 'AzureWebJobsStorage',
  handler: createQueuedOrder,
});
