import type { QueueClient } from '@azure/storage-queue';
import type { IntakeMessage, IntakeQueue } from '../../ports/orders';

export const intakeQueueName = 'order-intake';

/** The queue the intake function reads; base64 JSON, as the Functions queue trigger expects. */
export class StorageIntakeQueue implements IntakeQueue {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  async send(message: IntakeMessage): Promise<void> {
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    await this.queue.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
  }
}
