import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';
import type { TokenCredential } from '@azure/identity';
import type { BusinessCloudEvent } from '../../domain/events/cloud-event';
import type { BusinessEventPublisher } from '../../ports/orders';

/**
 * Business events on a Service Bus topic (docs/architecture.md): each CloudEvent in structured mode
 * (`application/cloudevents+json`), its id as the message id so the topic's duplicate detection
 * drops a re-publish after a retried activity, and its type as the subject; name, entity type and
 * order id as application properties for subscription filters.
 */
export class ServiceBusBusinessEventPublisher implements BusinessEventPublisher {
  readonly #sender: ServiceBusSender;

  constructor(client: ServiceBusClient, topicName: string) {
    this.#sender = client.createSender(topicName);
  }

  async publish(events: readonly BusinessCloudEvent[]): Promise<void> {
    const messages = events.map(messageOf);
    while (messages.length > 0) {
      // As many as fit in one batch (the namespace's size limit), so any number of events can go.
      const batch = await this.#sender.createMessageBatch();
      let taken = 0;
      while (taken < messages.length && batch.tryAddMessage(messages[taken]!)) taken++;
      if (taken === 0)
        throw new Error(`Business event ${events[0]?.id ?? ''} is larger than a Service Bus batch`);
      await this.#sender.sendMessages(batch);
      messages.splice(0, taken);
    }
  }

  async close(): Promise<void> {
    await this.#sender.close();
  }
}

/** The SDK's client, named for the layers that may not import the SDK. */
export type BusClient = ServiceBusClient;

export function createServiceBusClient(connectionString: string): ServiceBusClient {
  return new ServiceBusClient(connectionString);
}

/** A client for `<namespace>.servicebus.windows.net` signed in with a token credential (a managed identity). */
export function createServiceBusClientForNamespace(
  fullyQualifiedNamespace: string,
  credential: TokenCredential
): ServiceBusClient {
  return new ServiceBusClient(fullyQualifiedNamespace, credential);
}

function messageOf(event: BusinessCloudEvent): ServiceBusMessage {
  return {
    body: event,
    contentType: 'application/cloudevents+json',
    messageId: event.id,
    subject: event.type,
    // Subscription SQL filters read application properties, not the body.
    applicationProperties: {
      name: event.data.name,
      entityType: event.data.entityType,
      ...(event.data.orderId === undefined ? {} : { orderId: event.data.orderId }),
    },
  };
}
