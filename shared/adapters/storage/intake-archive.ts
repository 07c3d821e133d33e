import type { ContainerClient } from '@azure/storage-blob';
import type { IntakeArchive } from '../../ports/orders';

const containerName = 'intake-archive';

/** Intake bodies as received, one blob per order, in the `intake-archive` container. */
export class BlobIntakeArchive implements IntakeArchive {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  static containerName = containerName;

  async putIfAbsent(orderId: string, body: string): Promise<void> {
    await this.#ensureContainer();
    try {
      await this.container.getBlockBlobClient(`${orderId}.json`).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (err) {
      // An earlier attempt for the same order already archived its body.
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
