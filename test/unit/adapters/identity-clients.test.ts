import type { TokenCredential } from '@azure/identity';
import { createStorageClientsForAccount } from '../../../shared/adapters/storage/storage-clients';
import { createCosmosClient } from '../../../shared/adapters/cosmos/cosmos-client';
import { CONTAINER_NAMES, deployedDatabaseAndContainers } from '../../../shared/adapters/cosmos/containers';
import { createServiceBusClientForNamespace } from '../../../shared/adapters/servicebus/business-event-topic';

/** Never asked for a token: building clients makes no request. */
const credential: TokenCredential = {
  getToken: () => Promise.reject(new Error('no token in unit tests')),
};

describe('clients signed in with a managed identity', () => {
  it('address the storage account by name over https', () => {
    const clients = createStorageClientsForAccount('stopeniom', credential);
    expect(clients.blobs.url).toMatch(/^https:\/\/stopeniom\.blob\.core\.windows\.net\/?$/);
    expect(clients.queues.url).toMatch(/^https:\/\/stopeniom\.queue\.core\.windows\.net\/?$/);
    expect(clients.tables.url).toMatch(/^https:\/\/stopeniom\.table\.core\.windows\.net\/?$/);
    expect(clients.table('DurableHistory')).toBe(clients.table('DurableHistory'));
    expect(clients.table('DurableHistory').tableName).toBe('DurableHistory');
  });

  it('reference the deployed Cosmos containers without creating them', () => {
    const client = createCosmosClient({
      endpoint: 'https://cosmos-openiom.documents.azure.com:443/',
      credential,
    });
    const { database, containers } = deployedDatabaseAndContainers(client, 'openiom');
    expect(database.id).toBe('openiom');
    expect(Object.keys(containers).sort()).toEqual([...CONTAINER_NAMES].sort());
    expect(containers.orders.id).toBe('orders');
    client.dispose();
  });

  it('open Service Bus by its fully qualified namespace', async () => {
    const client = createServiceBusClientForNamespace('sb-openiom.servicebus.windows.net', credential);
    expect(client.fullyQualifiedNamespace).toBe('sb-openiom.servicebus.windows.net');
    await client.close();
  });
});
