import type { QueueServiceClient } from '@azure/storage-queue';
import type { ResubmitQueue } from '../../ports/error-lists';

/**
 * Puts resubmitted message texts back on their queues, base64-encoded as the Functions queue
 * trigger expects (and as every queue the app writes to is encoded).
 */
export class StorageResubmitQueue implements ResubmitQueue {
  readonly #ready = new Map<string, Promise<unknown>>();

  constructor(private readonly queues: QueueServiceClient) {}

  async send(queueName: string, text: string): Promise<void> {
    const queue = this.queues.getQueueClient(queueName);
    let ready = this.#ready.get(queueName);
    if (ready === undefined) {
      ready = queue.createIfNotExists().catch((err) => {
        this.#ready.delete(queueName);
        throw err;
      });
      this.#ready.set(queueName, ready);
    }
    await ready;
    await queue.sendMessage(Buffer.from(text, 'utf8').toString('base64'));
  }
}
