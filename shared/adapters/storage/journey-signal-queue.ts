import type { QueueClient } from '@azure/storage-queue';
import type { JourneySignal, JourneySignals } from '../../ports/journey-signals';

/**
 * Journey signals on a storage queue, base64 JSON `{signals: [...]}` as the Functions queue trigger
 * reads it: one message per send, so the signals of one step or request arrive together and in order.
 */
export class StorageJourneySignals implements JourneySignals {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  async send(signals: readonly JourneySignal[]): Promise<void> {
    if (signals.length === 0) return;
    this.#ready ??= this.queue.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    await this.queue.sendMessage(Buffer.from(JSON.stringify({ signals })).toString('base64'));
  }
}
