import type { ContainerClient } from '@azure/storage-blob';
import { inventoryImportResultsContainer, inventoryImportsContainer } from '../../ports/binding-names';
import type { ImportReport, ImportReportStore } from '../../ports/inventory-imports';

/** Where dropped inventory files go, and where their reports appear (`{name}.json`). */
export { inventoryImportResultsContainer, inventoryImportsContainer };

/** Import reports as JSON blobs; a file processed again (a new version) gets its report replaced. */
export class BlobImportReportStore implements ImportReportStore {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  async read(name: string): Promise<ImportReport | undefined> {
    try {
      const body = await this.container.getBlobClient(`${name}.json`).downloadToBuffer();
      return JSON.parse(body.toString('utf8')) as ImportReport;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  async write(name: string, report: ImportReport): Promise<void> {
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
