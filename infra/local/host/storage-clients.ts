import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

/** Storage clients for a binding's `connection` (the name of an app setting, default AzureWebJobsStorage). */
export class StorageClients {
  #queues = new Map<string, QueueServiceClient>();
  #blobs = new Map<string, BlobServiceClient>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  connectionString(connection: unknown): string {
    const name = typeof connection === 'string' && connection ? connection : 'AzureWebJobsStorage';
    const value = this.env[name] ?? this.env[`${name}__connectionString`];
    if (!value) throw new Error(`Connection setting "${name}" is not set.`);
    return value;
  }

  queueService(connection: unknown): QueueServiceClient {
    const cs = this.connectionString(connection);
    let client = this.#queues.get(cs);
    if (!client) {
      client = QueueServiceClient.fromConnectionString(cs);
      this.#queues.set(cs, client);
    }
    return client;
  }

  blobService(connection: unknown): BlobServiceClient {
    const cs = this.connectionString(connection);
    let client = this.#blobs.get(cs);
    if (!client) {
      client = BlobServiceClient.fromConnectionString(cs);
      this.#blobs.set(cs, client);
    }
    return client;
  }
}
