import type { QueueClient } from '@azure/storage-queue';
import type { BusinessCloudEvent } from '../../domain/events/cloud-event';
import type { BusinessEventPublisher } from '../../ports/orders';
import { businessEventsQueueName } from '../../ports/binding-names';
import { JsonQueue } from './json-queue';

export { businessEventsQueueName };

/**
 * Business events on the `business-events` storage queue: where they go when no Service Bus is
 * configured (docs/architecture.md), one base64 JSON CloudEvent per message.
 */
export class QueueBusinessEventPublisher implements BusinessEventPublisher {
  readonly #queue: JsonQueue;

  constructor(queue: QueueClient) {
    this.#queue = new JsonQueue(queue);
  }

  async publish(events: readonly BusinessCloudEvent[]): Promise<void> {
    for (const event of events) await this.#queue.send(event);
  }
}
