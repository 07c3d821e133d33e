/**
 * Every write Azurite acknowledged survives a `kill -9` of the Azurite child: its metadata journal
 * is replayed over the last snapshot when it starts again on the same data directory.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { startAzurite } from '../../services/azurite';
import type { Azurite } from '../../services/azurite';
import { encodeRecord } from '../../services/journal-records';
import { waitFor } from '../support/wait-for';

interface Harness {
  azurite: Azurite;
  dataDir: string;
  logLines: string[];
}

async function withAzurite(test: (harness: Harness) => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-journal-'));
  const logLines: string[] = [];
  const azurite = await startAzurite({ dataDir, log: (line) => logLines.push(line) });
  try {
    await test({ azurite, dataDir, logLines });
  } finally {
    await azurite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** SIGKILL right after the last acknowledged write, then the same child (same ports) again. */
async function killAndStartAgain(azurite: Azurite): Promise<void> {
  const pid = azurite.child.pid!;
  process.kill(pid, 'SIGKILL');
  await waitFor(() => gone(pid), { what: 'the killed Azurite to be gone' });
  await azurite.child.start();
}

async function allMessages(queue: QueueClient): Promise<string[]> {
  const texts: string[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({
      numberOfMessages: 32,
      visibilityTimeout: 60,
    });
    if (receivedMessageItems.length === 0) return texts.sort();
    texts.push(...receivedMessageItems.map((message) => message.messageText));
  }
}

const texts = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`).sort();

describe('Azurite write journal', () => {
  it('keeps acknowledged queue messages, and deleted ones deleted, across kill -9', async () => {
    await withAzurite(async ({ azurite }) => {
      const queue = new QueueClient(azurite.connectionString, 'journaled');
      await queue.create();
      await queue.sendMessage('doomed');
      const [doomed] = (await queue.receiveMessages()).receivedMessageItems;
      await queue.deleteMessage(doomed!.messageId, doomed!.popReceipt);
      const sent = texts('message', 50);
      await Promise.all(sent.map((text) => queue.sendMessage(text)));

      await killAndStartAgain(azurite);

      expect((await queue.getProperties()).approximateMessagesCount).toBe(50);
      expect(await allMessages(queue)).toEqual(sent);
    });
  });

  it('keeps table creates, entity inserts, updates and deletes across kill -9', async () => {
    await withAzurite(async ({ azurite }) => {
      const service = TableServiceClient.fromConnectionString(azurite.connectionString, {
        allowInsecureConnection: true,
      });
      const table = (name: string): TableClient =>
        TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
      await service.createTable('kept');
      await service.createTable('dropped');
      const kept = table('kept');
      await kept.createEntity({ partitionKey: 'p', rowKey: 'updated', value: 1 });
      await kept.updateEntity({ partitionKey: 'p', rowKey: 'updated', value: 2 }, 'Merge');
      await kept.upsertEntity({ partitionKey: 'p', rowKey: 'replaced', value: 'old' }, 'Replace');
      await kept.upsertEntity({ partitionKey: 'p', rowKey: 'replaced', value: 'new' }, 'Replace');
      await kept.createEntity({ partitionKey: 'p', rowKey: 'deleted', value: 3 });
      await kept.deleteEntity('p', 'deleted');
      await service.deleteTable('dropped');
      await service.createTable('recreated');
      await table('recreated').createEntity({ partitionKey: 'r', rowKey: 'before', value: 1 });
      await service.deleteTable('recreated');
      await service.createTable('recreated');
      await table('recreated').createEntity({ partitionKey: 'r', rowKey: 'after', value: 2 });
      await service.createTable('fresh');
      await table('fresh').createEntity({ partitionKey: 'q', rowKey: 'first', value: 'here' });

      await killAndStartAgain(azurite);

      const tables: string[] = [];
      for await (const t of service.listTables()) tables.push(t.name!);
      expect(tables.sort()).toEqual(['fresh', 'kept', 'recreated']);
      const recreated: string[] = [];
      for await (const entity of table('recreated').listEntities()) recreated.push(entity.rowKey!);
      expect(recreated).toEqual(['after']);
      const rows: Record<string, unknown> = {};
      for await (const entity of kept.listEntities()) rows[entity.rowKey!] = entity.value;
      expect(rows).toEqual({ updated: 2, replaced: 'new' });
      expect((await table('fresh').getEntity('q', 'first')).value).toBe('here');
      // Written after the restart: the collection replayed from the journal takes new entities.
      await table('fresh').createEntity({ partitionKey: 'q', rowKey: 'second', value: 'too' });
      expect((await table('fresh').getEntity('q', 'second')).value).toBe('too');
    });
  });

  it('keeps an uploaded blob and its content across kill -9', async () => {
    await withAzurite(async ({ azurite }) => {
      const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
        'journaled'
      );
      await container.create();
      const content = crypto.randomBytes(200_000);
      await container.getBlockBlobClient('payload.bin').uploadData(content);

      await killAndStartAgain(azurite);

      const downloaded = await container.getBlockBlobClient('payload.bin').downloadToBuffer();
      expect(downloaded.equals(content)).toBe(true);
    });
  });

  it('replays records that the snapshot already holds without harm', async () => {
    await withAzurite(async ({ azurite, dataDir }) => {
      const queue = new QueueClient(azurite.connectionString, 'replayed-twice');
      await queue.create();
      const before = texts('before', 20);
      await Promise.all(before.map((text) => queue.sendMessage(text)));
      const dir = path.join(dataDir, 'azurite');
      const stale = new Map(
        fs
          .readdirSync(dir)
          .filter((name) => name.startsWith('__azurite_db_queue__.json.journal.'))
          .map((name) => [path.join(dir, name), fs.readFileSync(path.join(dir, name))])
      );
      // An autosave covers these generations and deletes them; put them back as if it had not.
      await waitFor(() => [...stale.keys()].every((file) => !fs.existsSync(file)), {
        timeoutMs: 20_000,
        what: 'an autosave to drop the covered journal generations',
      });
      for (const [file, data] of stale) fs.writeFileSync(file, data);
      const [received] = (await queue.receiveMessages()).receivedMessageItems;
      await queue.deleteMessage(received!.messageId, received!.popReceipt);
      const after = texts('after', 10);
      await Promise.all(after.map((text) => queue.sendMessage(text)));

      await killAndStartAgain(azurite);

      const expected = [...before.filter((text) => text !== received!.messageText), ...after].sort();
      expect(await allMessages(queue)).toEqual(expected);
    });
  });

  it('ignores a torn last record, and later writes are still replayed', async () => {
    await withAzurite(async ({ azurite, dataDir, logLines }) => {
      const queue = new QueueClient(azurite.connectionString, 'torn');
      await queue.create();
      const before = texts('before', 20);
      await Promise.all(before.map((text) => queue.sendMessage(text)));
      const pid = azurite.child.pid!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => gone(pid), { what: 'the killed Azurite to be gone' });

      const dir = path.join(dataDir, 'azurite');
      const journals = fs
        .readdirSync(dir)
        .filter((name) => name.startsWith('__azurite_db_queue__.json.journal.'))
        .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
      expect(journals.length).toBeGreaterThan(0);
      const record = encodeRecord(Buffer.from(JSON.stringify({ op: 'R', c: 'x', id: 1 })));
      fs.appendFileSync(path.join(dir, journals.at(-1)!), record.subarray(0, record.length - 5));

      await azurite.child.start();
      expect(
        logLines.some((line) => /journal: replayed \d+ records .*ignored a torn tail of/.test(line))
      ).toBe(true);
      const after = texts('after', 10);
      await Promise.all(after.map((text) => queue.sendMessage(text)));

      await killAndStartAgain(azurite);

      expect(await allMessages(queue)).toEqual([...before, ...after].sort());
    });
  });
});
