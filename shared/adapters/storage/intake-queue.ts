import type { QueueClient } from '@azure/storage-queue';
import type { IntakeMessage, IntakeQueue } from '../../ports/orders';
import { intakeQueueName } from '../../ports/binding-names';
import { StorageGroupedQueue } from './grouped-queue';

export { intakeQueueName };

/**
 * The queue the intake function reads. Intakes sent together share a queue message
 * (`{"intakes": [...]}`, StorageGroupedQueue), so a busy intake costs one queue write per group.
 */
export class StorageIntakeQueue implements IntakeQueue {
  readonly #queue: StorageGroupedQueue<IntakeMessage>;

  constructor(queue: QueueClient) {
    this.#queue = new StorageGroupedQueue<IntakeMessage>(queue, 'intakes');
  }

  send(message: IntakeMessage): Promise<void> {
    return this.#queue.send(message);
  }

  sendAlone(message: IntakeMessage): Promise<void> {
    return this.#queue.sendAlone(message);
  }
}
