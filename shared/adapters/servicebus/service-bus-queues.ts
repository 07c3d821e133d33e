import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';

/** Texts sent to Service Bus queues (a resubmitted message goes back to the queue it came from). */
export class ServiceBusQueues {
  readonly #senders = new Map<string, ServiceBusSender>();

  constructor(private readonly client: ServiceBusClient) {}

  async send(queueName: string, text: string): Promise<void> {
    let sender = this.#senders.get(queueName);
    if (sender === undefined) {
      sender = this.client.createSender(queueName);
      this.#senders.set(queueName, sender);
    }
    await sender.sendMessages({ body: text, contentType: 'application/json' });
  }
}
