import type { QueueClient } from '@azure/storage-queue';
import type { JourneySignal, JourneySignals } from '../../ports/journey-signals';
import { JsonQueue } from './json-queue';

/**
 * Journey signals on a storage queue, base64 JSON `{signals: [...]}` as the Functions queue trigger
 * reads it: one message per send, so the signals of one step or request arrive together and in order.
 */
export class StorageJourneySignals implements JourneySignals {
  readonly #queue: JsonQueue;

  constructor(queue: QueueClient) {
    this.#queue = new JsonQueue(queue);
  }

  async send(signals: readonly JourneySignal[]): Promise<void> {
    if (signals.length === 0) return;
    await this.#queue.send({ signals });
  }
}
