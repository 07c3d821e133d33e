import type { QueueClient } from '@azure/storage-queue';
import type { EmailDeliveryRef } from '../../domain/email/email-delivery';
import type { EmailDeliveryQueue } from '../../ports/email';
import { JsonQueue } from './json-queue';

/** The `email-delivery` queue: `{orderId, id}` per message. */
export class StorageEmailDeliveryQueue implements EmailDeliveryQueue {
  readonly #queue: JsonQueue;

  constructor(queue: QueueClient) {
    this.#queue = new JsonQueue(queue);
  }

  async send(ref: EmailDeliveryRef): Promise<void> {
    await this.#queue.send({ orderId: ref.orderId, id: ref.id });
  }
}
