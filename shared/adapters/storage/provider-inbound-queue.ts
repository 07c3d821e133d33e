import type { QueueClient } from '@azure/storage-queue';
import type { InboundMessage } from '../../domain/providers/inbound-message';
import type { InboundQueue } from '../../ports/providers';
import { StorageGroupedQueue } from './grouped-queue';

/** The `provider-inbound` queue: provider messages waiting to become orders (`{"messages": [...]}` when grouped). */
export class StorageInboundQueue implements InboundQueue {
  readonly #queue: StorageGroupedQueue<InboundMessage>;

  constructor(queue: QueueClient) {
    this.#queue = new StorageGroupedQueue<InboundMessage>(queue, 'messages');
  }

  send(message: InboundMessage): Promise<void> {
    return this.#queue.send(message);
  }

  async sendAll(messages: readonly InboundMessage[]): Promise<void> {
    await Promise.all(messages.map((message) => this.#queue.send(message)));
  }

  sendAlone(message: InboundMessage): Promise<void> {
    return this.#queue.sendAlone(message);
  }
}
