import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';

/**
 * Blob, Queue and Table clients for one `AzureWebJobsStorage` connection string (Azure Storage or
 * Azurite). Clients are memoized per connection string: they hold HTTP pipelines and keep-alive
 * sockets, so one per worker is right and one per request is a leak.
 */
export interface StorageClients {
  readonly blobs: BlobServiceClient;
  readonly queues: QueueServiceClient;
  readonly tables: TableServiceClient;
  /** A client for one table (created on first use per name, then reused). */
  table(tableName: string): TableClient;
}

/**
 * Azurite serves plain HTTP on ports the test setup picks. Blob/Queue clients accept http from the
 * connection string, but the Tables client refuses to send a shared-key signature over http unless
 * told — and only `UseDevelopmentStorage=true` sets that for us.
 */
export function tableOptionsFor(connectionString: string): TableServiceClientOptions {
  const insecure =
    /(^|;)\s*DefaultEndpointsProtocol\s*=\s*http\s*(;|$)/i.test(connectionString) ||
    /(^|;)\s*TableEndpoint\s*=\s*http:\/\//i.test(connectionString);
  return insecure ? { allowInsecureConnection: true } : {};
}

export function createStorageClients(connectionString: string): StorageClients {
  const tableOptions = tableOptionsFor(connectionString);
  const tableClients = new Map<string, TableClient>();
  return {
    blobs: BlobServiceClient.fromConnectionString(connectionString),
    queues: QueueServiceClient.fromConnectionString(connectionString),
    tables: TableServiceClient.fromConnectionString(connectionString, tableOptions),
    table(tableName: string): TableClient {
      let client = tableClients.get(tableName);
      if (client === undefined) {
        client = TableClient.fromConnectionString(connectionString, tableName, tableOptions);
        tableClients.set(tableName, client);
      }
      return client;
    },
  };
}

/**
 * Clients for a storage account reached with a token credential (AzureWebJobsStorage__accountName
 * in Azure): the managed identity needs the blob, queue and table data roles (infra/azure/main.bicep).
 */
export function createStorageClientsForAccount(
  accountName: string,
  credential: TokenCredential
): StorageClients {
  const endpoint = (service: string) => `https://${accountName}.${service}.core.windows.net`;
  const tableClients = new Map<string, TableClient>();
  return {
    blobs: new BlobServiceClient(endpoint('blob'), credential),
    queues: new QueueServiceClient(endpoint('queue'), credential),
    tables: new TableServiceClient(endpoint('table'), credential),
    table(tableName: string): TableClient {
      let client = tableClients.get(tableName);
      if (client === undefined) {
        client = new TableClient(endpoint('table'), tableName, credential);
        tableClients.set(tableName, client);
      }
      return client;
    },
  };
}

const byConnectionString = new Map<string, StorageClients>();

/** Memoized `createStorageClients`. */
export function getStorageClients(connectionString: string): StorageClients {
  let clients = byConnectionString.get(connectionString);
  if (clients === undefined) {
    clients = createStorageClients(connectionString);
    byConnectionString.set(connectionString, clients);
  }
  return clients;
}

/** Forget memoized clients (tests that point at a different Azurite). */
export function resetStorageClientsForTests(): void {
  byConnectionString.clear();
}

// Pings: the cheapest authenticated call per service — proves endpoint, credentials and clock skew
// (shared-key signatures fail on skew) without touching data.

export async function pingBlobs(clients: StorageClients): Promise<void> {
  await clients.blobs.getProperties();
}

export async function pingQueues(clients: StorageClients): Promise<void> {
  await clients.queues.getProperties();
}

export async function pingTables(clients: StorageClients): Promise<void> {
  await clients.tables.getProperties();
}
