import { app, type InvocationContext } from '@azure/functions';
import { acceptBusOrderDeps } from '../shared/app/error-lists/wiring';
import { acceptBusOrder } from '../shared/app/intake/accept-bus-order';
import { serviceBusIntakeQueueName } from '../shared/app/intake/wiring';

/**
 * Orders on the Service Bus queue `order-intake-sb` (IOM's generic Service Bus trigger) take direct
 * intake's pipeline; one that is not an order goes on the provider-inbound error list. A throw
 * abandons the message, so Service Bus redelivers it, and dead-letters it after its max delivery count.
 */
export async function acceptServiceBusOrder(message: unknown, context: InvocationContext): Promise<void> {
  const metadata = context.triggerMetadata ?? {};
  const properties = (metadata.applicationProperties ?? {}) as Record<string, unknown>;
  const text = (name: string) => {
    const value = properties[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const key = text('Idempotency-Key');
  const traceparent = context.traceContext?.traceParent ?? text('traceparent') ?? text('Diagnostic-Id');
  const outcome = await acceptBusOrder(await acceptBusOrderDeps(), {
    queue: serviceBusIntakeQueueName,
    messageId: typeof metadata.messageId === 'string' ? metadata.messageId : context.invocationId,
    body: message,
    ...(key ? { idempotencyKey: key } : {}),
    ...(traceparent ? { traceparent } : {}),
  });
  if (outcome.outcome === 'refused') context.warn(`not an order: on the error list as ${outcome.errorId}`);
}

app.serviceBusQueue('acceptServiceBusOrder', {
  connection: 'SERVICEBUS_CONNECTION',
  queueName: serviceBusIntakeQueueName,
  handler: acceptServiceBusOrder,
});
