import type { QueueClient } from '@azure/storage-queue';
import type { EmailDeliveryRef } from '../../domain/email/email-delivery';
import type { EmailDeliveryQueue } from '../../ports/email';

/** The `email-delivery` queue: base64 JSON `{orderId, id}`, as the Functions queue trigger reads it. */
export class StorageEmailDeliveryQueue implements EmailDeliveryQueue {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  async send(ref: EmailDeliveryRef): Promise<void> {
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    const body = JSON.stringify({ orderId: ref.orderId, id: ref.id });
    await this.queue.sendMessage(Buffer.from(body).toString('base64'));
  }
}
