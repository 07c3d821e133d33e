import type { ContainerClient } from '@azure/storage-blob';
import { inventoryImportResultsContainer, inventoryImportsContainer } from '../../ports/binding-names';
import type { ImportReport, ImportReportStore } from '../../ports/inventory-imports';

/** Where dropped inventory files go, and where their reports appear (`{name}.json`). */
export { inventoryImportResultsContainer, inventoryImportsContainer };

/**
 * Import reports as JSON blobs (`{name}.json`, inventory and order files alike); a file processed
 * again (a new version) gets its report replaced.
 */
export class BlobImportReportStore<R = ImportReport> implements ImportReportStore<R> {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  async read(name: string): Promise<R | undefined> {
    try {
      const body = await this.container.getBlobClient(`${name}.json`).downloadToBuffer();
      return JSON.parse(body.toString('utf8')) as R;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  async write(name: string, report: R): Promise<void> {
    await this.#ensureContainer();
    const body = JSON.stringify(report, null, 2);
    await this.container.getBlockBlobClient(`${name}.json`).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  #ensureContainer(): Promise<unknown> {
    this.#ready ??= this.container.createIfNotExists().catch((err) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready;
  }
}
