import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { QueueEvents } from './queue-events';

interface ClientsOfConnection {
  blobs: BlobServiceClient;
  queues: QueueServiceClient;
  queueEvents?: QueueEvents;
  tables: Map<string, TableClient>;
}

/**
 * Storage clients for a binding's `connection`: the name of an app setting holding a connection
 * string (default AzureWebJobsStorage), as the Functions host reads it. The host keeps its own
 * clients, one set per connection string (they hold HTTP pipelines and keep-alive sockets); the app
 * it runs keeps its own.
 */
export class StorageClients {
  #byConnectionString = new Map<string, ClientsOfConnection>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  connectionString(connection: unknown): string {
    const name = typeof connection === 'string' && connection ? connection : 'AzureWebJobsStorage';
    const value = this.env[name] ?? this.env[`${name}__connectionString`];
    if (!value) throw new Error(`Connection setting "${name}" is not set.`);
    return value;
  }

  queueService(connection: unknown): QueueServiceClient {
    return this.#clients(this.connectionString(connection)).queues;
  }

  /** Word of new messages from the storage, when it is this package's Azurite (see QueueEvents). */
  queueEvents(connection: unknown): QueueEvents {
    const clients = this.#clients(this.connectionString(connection));
    clients.queueEvents ??= new QueueEvents(clients.queues.url);
    return clients.queueEvents;
  }

  blobService(connection: unknown): BlobServiceClient {
    return this.#clients(this.connectionString(connection)).blobs;
  }

  table(connection: unknown, tableName: string): TableClient {
    const connectionString = this.connectionString(connection);
    const tables = this.#clients(connectionString).tables;
    let client = tables.get(tableName);
    if (!client) {
      client = TableClient.fromConnectionString(
        connectionString,
        tableName,
        tableOptionsFor(connectionString)
      );
      tables.set(tableName, client);
    }
    return client;
  }

  #clients(connectionString: string): ClientsOfConnection {
    let clients = this.#byConnectionString.get(connectionString);
    if (!clients) {
      clients = {
        blobs: BlobServiceClient.fromConnectionString(connectionString),
        queues: QueueServiceClient.fromConnectionString(connectionString),
        tables: new Map(),
      };
      this.#byConnectionString.set(connectionString, clients);
    }
    return clients;
  }
}

/**
 * Azurite serves plain HTTP. Blob and Queue clients accept http from the connection string, but the
 * Tables client refuses to send a shared-key signature over http unless told to.
 */
function tableOptionsFor(connectionString: string): TableServiceClientOptions {
  const insecure =
    /(^|;)\s*DefaultEndpointsProtocol\s*=\s*http\s*(;|$)/i.test(connectionString) ||
    /(^|;)\s*TableEndpoint\s*=\s*http:\/\//i.test(connectionString);
  return insecure ? { allowInsecureConnection: true } : {};
}
