import type { QueueClient } from '@azure/storage-queue';

/**
 * A storage queue of JSON messages, base64-encoded as the Functions queue trigger reads them; the
 * queue is created on first use (again after a failed try).
 */
export class JsonQueue {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  async send(value: unknown): Promise<void> {
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    await this.queue.sendMessage(Buffer.from(JSON.stringify(value)).toString('base64'));
  }
}
