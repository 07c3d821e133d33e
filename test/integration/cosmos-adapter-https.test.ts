import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';

/**
 * The client accepts a self-signed certificate on loopback (the embedded server's https mode, the
 * Cosmos emulator) — and only there. Starts its own https server: global setup serves plain HTTP.
 */
describe('Cosmos client over https on loopback', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createHttpsServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('talks to a self-signed loopback endpoint', async () => {
    const client = createCosmosClient({
      endpoint: `https://127.0.0.1:${port}`,
      key: Buffer.from('k').toString('base64'),
    });
    try {
      const { containers } = await ensureDatabaseAndContainers(client, `it-https-${randomUUID()}`);
      const { resource } = await containers.catalog.items.create({
        id: 'p1',
        key: 'product:p1',
        type: 'product',
      });
      expect(resource?.id).toBe('p1');
    } finally {
      client.dispose();
    }
  });
});
