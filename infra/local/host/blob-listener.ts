import type { BlobItem, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { resolveAppSettings } from './binding-expressions';
import { withBlobLease } from './blob-lease';
import { bindingString } from './core-types';
import type { RegisteredFunction } from './function-registry';
import type { Invoker } from './invoker';
import { describeError, type HostLogger } from './logger';
import { encodeMessage } from './queue-encoding';
import type { StorageClients } from './storage-clients';
import { jsonData, stringData } from './typed-data';

export const hostsContainer = 'azure-webjobs-hosts';
const poisonQueueName = 'webjobs-blobtrigger-poison';
const maxAttempts = 5;
/** How long a receipt lease lasts; it is renewed while the function runs, so this only bounds a crash. */
const receiptLeaseSeconds = 30;

/** `container/prefix{name}.csv` → the container, the listing prefix and a matcher for blob names. */
export function parseBlobPath(path: string): {
  container: string;
  prefix: string;
  match(blobName: string): Record<string, string> | undefined;
} {
  const slash = path.indexOf('/');
  const container = (slash < 0 ? path : path.slice(0, slash)).toLowerCase();
  const pattern = slash < 0 ? '{name}' : path.slice(slash + 1) || '{name}';
  const names: string[] = [];
  const source = pattern
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '(.+?)';
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  const prefix = pattern.split('{')[0] ?? '';
  return {
    container,
    prefix,
    match(blobName) {
      const m = regex.exec(blobName);
      if (!m) return undefined;
      return Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? '']));
    },
  };
}

/**
 * A blob trigger: each new or changed blob (each ETag) fires the function once. Receipts are kept in
 * `azure-webjobs-hosts` like the Functions host does, so a restart does not fire again; a blob that
 * fails five times is reported on `webjobs-blobtrigger-poison`.
 */
export class BlobListener {
  #container: ContainerClient;
  #hosts: ContainerClient;
  #poison: QueueClient;
  #path: ReturnType<typeof parseBlobPath>;
  #done = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #scan: Promise<void> = Promise.resolve();
  #stopping = false;

  constructor(
    private readonly fn: RegisteredFunction,
    clients: StorageClients,
    private readonly hostId: string,
    private readonly pollMs: number,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger
  ) {
    this.#path = parseBlobPath(resolveAppSettings(bindingString(fn.trigger, 'path')));
    const service = clients.blobService(fn.trigger.connection);
    this.#container = service.getContainerClient(this.#path.container);
    this.#hosts = service.getContainerClient(hostsContainer);
    this.#poison = clients.queueService(fn.trigger.connection).getQueueClient(poisonQueueName);
  }

  async start(): Promise<void> {
    await this.#container.createIfNotExists();
    await this.#hosts.createIfNotExists();
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#scan;
  }

  /** Scans now instead of at the next poll (used by tests and after an upload through the app). */
  scanNow(): Promise<void> {
    this.#scan = this.#scan.then(() => this.#scanOnce());
    return this.#scan;
  }

  #schedule(ms: number) {
    if (this.#stopping) return;
    this.#timer = setTimeout(() => {
      void this.scanNow().finally(() => this.#schedule(this.pollMs));
    }, ms);
  }

  async #scanOnce(): Promise<void> {
    try {
      for await (const blob of this.#container.listBlobsFlat({
        prefix: this.#path.prefix,
        includeMetadata: true,
      })) {
        if (this.#stopping) return;
        const params = this.#path.match(blob.name);
        const etag = (blob.properties.etag ?? '').replace(/"/g, '');
        const key = `${blob.name}\n${etag}`;
        if (!params || this.#done.has(key)) continue;
        if (await this.#fire(blob, etag, params)) this.#done.add(key);
      }
    } catch (err) {
      this.logger.log(
        'warning',
        `[${this.fn.name}] scanning "${this.#path.container}" failed: ${describeError(err)}`
      );
    }
  }

  /**
   * True when this blob version is settled: handled, or given up on after `maxAttempts`. The receipt
   * is leased while the function runs, as the Functions host does, so hosts sharing the storage
   * account (scaled out, or several local hosts) fire each version once; a version leased elsewhere
   * is left for a later scan.
   */
  async #fire(blob: BlobItem, etag: string, params: Record<string, string>): Promise<boolean> {
    const receipt = this.#hosts.getBlockBlobClient(
      `blobreceipts/${this.hostId}/${this.fn.name}/${etag}/${this.#path.container}/${blob.name}`
    );
    const run = await withBlobLease(receipt, receiptLeaseSeconds, (leaseId) =>
      this.#fireLeased(blob, etag, params, receipt, leaseId)
    );
    return run.leased && run.result;
  }

  async #fireLeased(
    blob: BlobItem,
    etag: string,
    params: Record<string, string>,
    receipt: BlockBlobClient,
    leaseId: string
  ): Promise<boolean> {
    const existing = await receipt.getProperties();
    if (existing.metadata?.completed === 'true') return true;
    const attempts = Number(existing.metadata?.attempts ?? 0) + 1;
    const blobPath = `${this.#path.container}/${blob.name}`;
    const settle = (completed: boolean) =>
      receipt.setMetadata(
        { completed: String(completed), attempts: String(attempts) },
        { conditions: { leaseId } }
      );
    try {
      const content = await this.#container.getBlobClient(blob.name).downloadToBuffer();
      const data =
        this.fn.trigger.dataType === 'string' ? stringData(content.toString('utf8')) : { bytes: content };
      const paramMetadata = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, stringData(v)]));
      await this.invoker.invoke(this.fn, {
        data,
        triggerMetadata: {
          ...paramMetadata,
          BlobTrigger: stringData(blobPath),
          Uri: stringData(this.#container.getBlobClient(blob.name).url),
          Properties: jsonData(blob.properties),
          Metadata: jsonData(blob.metadata ?? {}),
        },
        bindingData: { ...params, blobTrigger: blobPath },
        retryContext: { retryCount: attempts - 1, maxRetryCount: maxAttempts - 1 },
      });
      await settle(true);
      return true;
    } catch (err) {
      this.logger.log(
        'error',
        `[${this.fn.name}] blob "${blobPath}" failed (attempt ${attempts}): ${describeError(err)}`
      );
      const exhausted = attempts >= maxAttempts;
      await settle(exhausted);
      if (exhausted) {
        await this.#poison.createIfNotExists();
        const report = {
          FunctionId: this.fn.name,
          BlobType: 'BlockBlob',
          ContainerName: this.#path.container,
          BlobName: blob.name,
          ETag: etag,
        };
        await this.#poison.sendMessage(encodeMessage(Buffer.from(JSON.stringify(report)), 'base64'));
      }
      return exhausted;
    }
  }
}
