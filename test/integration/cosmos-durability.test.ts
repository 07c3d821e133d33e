/**
 * The embedded Cosmos server keeps every acknowledged write across `kill -9`: documents come back
 * byte for byte (same _etag, _ts, _rid), deletes stay deleted, a rolled-back batch leaves nothing,
 * and rids handed out after the restart do not collide with earlier ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Container, CosmosClient, ItemDefinition, OperationInput } from '@azure/cosmos';
import { startCosmosChild, type CosmosChild } from '../support/cosmos-child';

interface Doc extends ItemDefinition {
  id: string;
  pk: string;
  n?: number;
  label?: string;
}

const dirs: string[] = [];
const running: CosmosChild[] = [];
const clients: CosmosClient[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openiom-cosmos-durability-'));
  dirs.push(dir);
  return dir;
}

async function start(
  dataDir: string,
  opts: { port?: number; compactAtBytes?: number } = {}
): Promise<CosmosChild> {
  const server = await startCosmosChild(dataDir, opts);
  running.push(server);
  return server;
}

async function openContainer(server: CosmosChild, create: boolean): Promise<Container> {
  const client = server.client();
  clients.push(client);
  if (!create) return client.database('durability').container('orders');
  const { database } = await client.databases.createIfNotExists({ id: 'durability' });
  const { container } = await database.containers.createIfNotExists({
    id: 'orders',
    partitionKey: { paths: ['/pk'] },
  });
  return container;
}

async function allDocs(container: Container): Promise<Map<string, Doc>> {
  const { resources } = await container.items.query<Doc>('SELECT * FROM c').fetchAll();
  return new Map(resources.map((doc) => [doc.id, doc]));
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  const alive = running
    .splice(0)
    .filter((server) => server.child.exitCode === null && server.child.signalCode === null);
  await Promise.all(alive.map((server) => server.stop()));
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded Cosmos server durability', () => {
  it('keeps acknowledged writes, deletes and committed batches across kill -9', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const container = await openContainer(first, true);

    const { resource: a } = await container.items.create<Doc>({ id: 'a', pk: 'p1', n: 1 });
    await container.items.create<Doc>({ id: 'b', pk: 'p1', n: 2 });
    await container.items.create<Doc>({ id: 'c', pk: 'p2', n: 3 });
    await container
      .item('a', 'p1')
      .replace<Doc>(
        { id: 'a', pk: 'p1', n: 10 },
        { accessCondition: { type: 'IfMatch', condition: a!._etag } }
      );
    await container.items.upsert<Doc>({ id: 'b', pk: 'p1', n: 20 });
    await container.items.upsert<Doc>({ id: 'd', pk: 'p2', n: 4 });
    await container.item('c', 'p2').patch([
      { op: 'incr', path: '/n', value: 5 },
      { op: 'set', path: '/label', value: 'patched' },
    ]);
    const deleted = await container.item('b', 'p1').read<Doc>();
    await container.item('b', 'p1').delete();

    const committed: OperationInput[] = [
      { operationType: 'Create', resourceBody: { id: 'e', pk: 'p1', n: 5 } },
      {
        operationType: 'Patch',
        id: 'a',
        resourceBody: { operations: [{ op: 'incr', path: '/n', value: 1 }] },
      },
    ];
    const ok = await container.items.batch(committed, 'p1');
    expect(ok.code).toBe(200);
    expect(ok.result!.map((r) => r.statusCode)).toEqual([201, 200]);

    const rolledBack: OperationInput[] = [
      { operationType: 'Create', resourceBody: { id: 'f', pk: 'p1', n: 6 } },
      { operationType: 'Replace', id: 'e', resourceBody: { id: 'e', pk: 'p1', n: 500 } },
      { operationType: 'Delete', id: 'a' },
      { operationType: 'Create', resourceBody: { id: 'e', pk: 'p1' } }, // conflict: aborts the batch
    ];
    const failed = await container.items.batch(rolledBack, 'p1');
    expect(failed.code).toBe(207);
    expect(failed.result!.map((r) => r.statusCode)).toEqual([424, 424, 424, 409]);

    const before = await allDocs(container);
    expect([...before.keys()].sort()).toEqual(['a', 'c', 'd', 'e']);
    expect(before.get('a')!.n).toBe(11);
    expect(before.get('e')!.n).toBe(5);

    await first.kill9();
    const second = await start(dataDir, { port: first.port });
    const reopened = await openContainer(second, false);

    const after = await allDocs(reopened);
    expect(after).toEqual(before); // full documents: bodies, _etag, _ts, _rid, _self
    expect((await reopened.item('b', 'p1').read()).statusCode).toBe(404);
    expect((await reopened.item('f', 'p1').read()).statusCode).toBe(404);

    // ETags survive, so optimistic concurrency keeps working across the restart.
    const { resource: c } = await reopened.item('c', 'p2').read<Doc>();
    expect(c!._etag).toBe(before.get('c')!._etag);
    await reopened
      .item('c', 'p2')
      .replace<Doc>(
        { id: 'c', pk: 'p2', n: 100 },
        { accessCondition: { type: 'IfMatch', condition: c!._etag } }
      );

    const { resource: g } = await reopened.items.create<Doc>({ id: 'g', pk: 'p1' });
    const earlierRids = new Set([...before.values()].map((doc) => String(doc._rid)));
    earlierRids.add(deleted.resource!._rid);
    expect(earlierRids.has(g!._rid)).toBe(false);
  });

  it('keeps the data through compactions and ignores a torn last record', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir, { compactAtBytes: 4096 });
    const container = await openContainer(first, true);
    for (let i = 0; i < 40; i += 1) {
      await container.items.create<Doc>({ id: `doc-${i}`, pk: `p${i % 3}`, n: i, label: 'x'.repeat(100) });
    }
    for (let i = 0; i < 40; i += 4) {
      await container.items.upsert<Doc>({ id: `doc-${i}`, pk: `p${i % 3}`, n: i * 10 });
    }
    for (let i = 1; i < 40; i += 8) await container.item(`doc-${i}`, `p${i % 3}`).delete();

    const journal = path.join(dataDir, 'cosmos', 'journal.ndjson');
    // ~15 KB of writes against a 4 KB threshold: snapshots were taken while the collection existed
    // (only snapshots write the documents' rid-counter record), and records were folded together.
    const lines = fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    expect(lines.some((line) => line.startsWith('{"t":"rc","k":"doc"'))).toBe(true);
    expect(lines.length).toBeLessThan(2 + 40 + 10 * 2 + 5);
    const before = await allDocs(container);
    expect(before.size).toBe(35);

    await first.kill9();
    // A write cut off mid-line by a crash must not stop the restart.
    fs.appendFileSync(journal, '{"t":"set","k":"doc","p":"/dbs/x/colls/y","d":{"id":"torn"');
    const second = await start(dataDir, { port: first.port, compactAtBytes: 4096 });
    const reopened = await openContainer(second, false);
    expect(await allDocs(reopened)).toEqual(before);

    await second.kill9();
    const third = await start(dataDir, { port: first.port, compactAtBytes: 4096 });
    expect(await allDocs(await openContainer(third, false))).toEqual(before);
  });
});
