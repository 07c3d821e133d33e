import type { QueueClient } from '@azure/storage-queue';
import type { BusinessCloudEvent } from '../../domain/events/cloud-event';
import type { BusinessEventPublisher } from '../../ports/orders';
import { businessEventsQueueName } from '../../ports/binding-names';

export { businessEventsQueueName };

/**
 * Business events on the `business-events` storage queue: where they go when no Service Bus is
 * configured (docs/architecture.md), one base64 JSON CloudEvent per message.
 */
export class QueueBusinessEventPublisher implements BusinessEventPublisher {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  async publish(events: readonly BusinessCloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    for (const event of events) {
      await this.queue.sendMessage(Buffer.from(JSON.stringify(event)).toString('base64'));
    }
  }
}
