import type { ContainerClient } from '@azure/storage-blob';
import type { IntakeArchive, IntakeMessage } from '../../ports/orders';
import { intakeArchiveContainer as containerName } from '../../ports/binding-names';

/**
 * Intake bodies as received in the `intake-archive` container: `{orderId}.json` for an order queued
 * alone, `groups/{first orderId}.json` (the queue message's `{intakes: [...]}`) for a group.
 */
export class BlobIntakeArchive implements IntakeArchive {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  static containerName = containerName;

  async putIfAbsent(orderId: string, body: string): Promise<string> {
    const name = `${orderId}.json`;
    await this.#createIfAbsent(name, body);
    return name;
  }

  async putGroupIfAbsent(intakes: readonly IntakeMessage[]): Promise<string> {
    const first = intakes[0];
    if (first === undefined) throw new Error('An intake group cannot be empty.');
    const name = `groups/${first.orderId}.json`;
    await this.#createIfAbsent(name, JSON.stringify({ intakes }));
    return name;
  }

  async #createIfAbsent(name: string, text: string): Promise<void> {
    await this.#ensureContainer();
    try {
      await this.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (err) {
      // An earlier attempt already archived it.
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
  }

  async get(orderId: string): Promise<string | undefined> {
    try {
      return (await this.container.getBlobClient(`${orderId}.json`).downloadToBuffer()).toString('utf8');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  #ensureContainer(): Promise<unknown> {
    this.#ready ??= this.container.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready;
  }
}
