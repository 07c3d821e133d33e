import type { ContainerClient } from '@azure/storage-blob';
import type { IntakeArchive, IntakeMessage } from '../../ports/orders';
import { intakeArchiveContainer as containerName } from '../../ports/binding-names';
import { BlobTextArchive } from './blob-text-archive';

/**
 * Intake bodies as received in the `intake-archive` container: `{orderId}.json` for an order queued
 * alone, `groups/{first orderId}.json` (the queue message's `{intakes: [...]}`) for a group.
 */
export class BlobIntakeArchive implements IntakeArchive {
  readonly #texts: BlobTextArchive;

  constructor(container: ContainerClient) {
    this.#texts = new BlobTextArchive(container);
  }

  static containerName = containerName;

  putIfAbsent(orderId: string, body: string): Promise<string> {
    return this.#texts.putIfAbsent(`${orderId}.json`, body);
  }

  putGroupIfAbsent(intakes: readonly IntakeMessage[]): Promise<string> {
    const first = intakes[0];
    if (first === undefined) return Promise.reject(new Error('An intake group cannot be empty.'));
    return this.#texts.putIfAbsent(`groups/${first.orderId}.json`, JSON.stringify({ intakes }));
  }

  get(orderId: string): Promise<string | undefined> {
    return this.#texts.get(`${orderId}.json`);
  }
}
