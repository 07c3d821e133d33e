import type { ContainerClient } from '@azure/storage-blob';
import type { InboundArchive } from '../../ports/providers';

/**
 * Texts kept as received, each written once under its name (a retry never overwrites): intake bodies
 * (`intake-archive`) and provider messages (`provider-inbound-archive`).
 */
export class BlobTextArchive implements InboundArchive {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  async putIfAbsent(name: string, text: string): Promise<string> {
    this.#ready ??= this.container.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
    try {
      await this.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (err) {
      // An earlier attempt stored it already.
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
    return name;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      return (await this.container.getBlobClient(name).downloadToBuffer()).toString('utf8');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }
}
