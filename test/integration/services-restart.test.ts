/** The service supervisor restarts a crashed Cosmos child on the same port, with its data. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { startEmbeddedServices } from '@openiom/local-functions-host';
import { waitFor } from '../support/wait-for';

describe('embedded services supervisor', () => {
  it('restarts a killed Cosmos child and the data is back', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openiom-services-restart-'));
    const logLines: string[] = [];
    const services = await startEmbeddedServices({
      dataDir,
      restartOnCrash: true,
      log: (line) => logLines.push(line),
    });
    const client = new CosmosClient({ endpoint: services.cosmosEndpoint, key: services.cosmosKey });
    try {
      const { database } = await client.databases.createIfNotExists({ id: 'restart' });
      const { container } = await database.containers.createIfNotExists({
        id: 'things',
        partitionKey: { paths: ['/pk'] },
      });
      const { resource: created } = await container.items.create({ id: 'one', pk: 'p' });

      const pid = services.cosmos.pid!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => services.cosmos.restarts === 1 && services.cosmos.pid !== pid, {
        what: 'the Cosmos child to restart',
      });

      const read = await waitFor(
        async () => (await container.item('one', 'p').read<{ id: string }>()).resource,
        { what: 'the document after the restart' }
      );
      expect(read._etag).toBe(created!._etag);
      expect(logLines.some((line) => /cosmos: exited unexpectedly .*restarting/.test(line))).toBe(true);
    } finally {
      client.dispose();
      await services.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
