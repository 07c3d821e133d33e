import type { BlobServiceClient } from '@azure/storage-blob';
import type { QueueServiceClient } from '@azure/storage-queue';
import type { TableClient } from '@azure/data-tables';
import { getStorageClients } from '../../../shared/adapters/storage/storage-clients';

/**
 * Storage clients for a binding's `connection`: the name of an app setting holding a connection
 * string (default AzureWebJobsStorage), as the Functions host reads it. The clients themselves are
 * the app's own memoized ones.
 */
export class StorageClients {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  connectionString(connection: unknown): string {
    const name = typeof connection === 'string' && connection ? connection : 'AzureWebJobsStorage';
    const value = this.env[name] ?? this.env[`${name}__connectionString`];
    if (!value) throw new Error(`Connection setting "${name}" is not set.`);
    return value;
  }

  queueService(connection: unknown): QueueServiceClient {
    return getStorageClients(this.connectionString(connection)).queues;
  }

  blobService(connection: unknown): BlobServiceClient {
    return getStorageClients(this.connectionString(connection)).blobs;
  }

  table(connection: unknown, tableName: string): TableClient {
    return getStorageClients(this.connectionString(connection)).table(tableName);
  }
}
