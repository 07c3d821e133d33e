import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import {
  CONTAINER_NAMES,
  CONTAINERS,
  ensureDatabaseAndContainers,
  partitionKeyPathOf,
  type Containers,
} from '../../shared/adapters/cosmos/containers';
import { DocumentStore, type BaseDocument } from '../../shared/adapters/cosmos/document-store';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../shared/domain/errors';
import type { Clock } from '../../shared/ports/clock';

/** Runs against the embedded Cosmos server that test/support/global-setup.ts starts. */

interface OrderDoc extends BaseDocument {
  type: 'order';
  orderId: string;
  externalId: string;
  n: number;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: the Jest global setup should start the embedded Cosmos server`);
  return value;
}

/** A clock the test moves by hand. */
function manualClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

describe('Cosmos adapter (embedded server)', () => {
  // One database per test file so parallel workers and reruns never see each other's data.
  const databaseId = `it-cosmos-adapter-${randomUUID()}`;
  let client: CosmosClient;
  let containers: Containers;
  const clock = manualClock('2025-01-01T00:00:00.000Z');
  let orders: DocumentStore<OrderDoc>;

  const order = (orderId: string, n = 0, id = orderId): OrderDoc => ({
    id,
    type: 'order',
    orderId,
    externalId: `ext-${orderId}`,
    n,
  });

  beforeAll(async () => {
    client = createCosmosClient({ endpoint: requiredEnv('COSMOS_ENDPOINT'), key: requiredEnv('COSMOS_KEY') });
    ({ containers } = await ensureDatabaseAndContainers(client, databaseId));
    orders = new DocumentStore<OrderDoc>(containers.orders, partitionKeyPathOf('orders'), clock);
  });

  afterAll(async () => {
    await client
      ?.database(databaseId)
      .delete()
      .catch(() => undefined);
    client?.dispose();
  });

  it('creates the database and containers once when many workers start at the same moment', async () => {
    const fresh = `${databaseId}-race`;
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, () => ensureDatabaseAndContainers(client, fresh))
      );
      for (const { containers: created } of results) {
        expect(Object.keys(created).sort()).toEqual([...CONTAINER_NAMES].sort());
      }
      const { resources } = await client.database(fresh).containers.readAll().fetchAll();
      expect(resources).toHaveLength(CONTAINER_NAMES.length);
    } finally {
      await client
        .database(fresh)
        .delete()
        .catch(() => undefined);
    }
  });

  it('creates every container with its partition key, and is idempotent', async () => {
    const again = await ensureDatabaseAndContainers(client, databaseId);
    expect(Object.keys(again.containers).sort()).toEqual([...CONTAINER_NAMES].sort());

    for (const name of CONTAINER_NAMES) {
      const { resource } = await again.containers[name].read();
      expect(resource?.partitionKey?.paths).toEqual([CONTAINERS[name].partitionKeyPath]);
    }
    const { resource: intake } = await again.containers.intake.read();
    expect(intake?.defaultTtl).toBe(-1);

    const { resources } = await client.database(databaseId).containers.readAll().fetchAll();
    expect(resources).toHaveLength(CONTAINER_NAMES.length);
  });

  it('creates, reads and replaces with an ETag; a stale ETag fails with PreconditionFailedError', async () => {
    const created = await orders.create(order('ord-etag', 1));
    expect(created.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(created.updatedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(typeof created._etag).toBe('string');
    expect(created).not.toHaveProperty('_rid');

    const read = await orders.read('ord-etag', 'ord-etag');
    expect(read).toMatchObject({ id: 'ord-etag', orderId: 'ord-etag', n: 1, _etag: created._etag });

    clock.advance(60_000);
    const newEtag = await orders.replaceIfMatch({ ...read!, n: 2 }, read!._etag);
    expect(newEtag).not.toBe(read!._etag);

    const afterReplace = await orders.read('ord-etag', 'ord-etag');
    expect(afterReplace).toMatchObject({
      n: 2,
      _etag: newEtag,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:01:00.000Z',
    });

    // A writer still holding the first ETag lost the race.
    await expect(orders.replaceIfMatch({ ...read!, n: 3 }, read!._etag)).rejects.toBeInstanceOf(
      PreconditionFailedError
    );
    expect((await orders.read('ord-etag', 'ord-etag'))?.n).toBe(2);
  });

  it('returns undefined for a missing document, and get() throws NotFoundError', async () => {
    await expect(orders.read('nope', 'nope')).resolves.toBeUndefined();
    await expect(orders.get('nope', 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects a duplicate create with ConflictError', async () => {
    await orders.create(order('ord-dup'));
    const duplicate = orders.create(order('ord-dup'));
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    await expect(duplicate).rejects.toMatchObject({
      code: 'conflict',
      message: 'orders/ord-dup already exists',
    });
  });

  it('replacing a deleted document is NotFoundError', async () => {
    const created = await orders.create(order('ord-gone'));
    await orders.deleteIfMatch('ord-gone', 'ord-gone', created._etag);
    await expect(orders.replaceIfMatch(order('ord-gone'), created._etag)).rejects.toBeInstanceOf(
      NotFoundError
    );
  });

  it('deletes only with the current ETag', async () => {
    const created = await orders.create(order('ord-del'));
    const etag2 = await orders.replaceIfMatch({ ...created, n: 5 }, created._etag);
    await expect(orders.deleteIfMatch('ord-del', 'ord-del', created._etag)).rejects.toBeInstanceOf(
      PreconditionFailedError
    );
    await orders.deleteIfMatch('ord-del', 'ord-del', etag2);
    await expect(orders.read('ord-del', 'ord-del')).resolves.toBeUndefined();
    await expect(orders.deleteIfMatch('ord-del', 'ord-del', etag2)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('upserts, keeping createdAt supplied by the caller', async () => {
    const first = await orders.upsert(order('ord-up', 1));
    clock.advance(1000);
    const second = await orders.upsert({ ...first, n: 2 });
    expect(second.n).toBe(2);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt).not.toBe(first.updatedAt);
  });

  it('refuses a document without its partition key', async () => {
    const broken = { id: 'x', type: 'order', externalId: 'e', n: 0 } as unknown as OrderDoc;
    await expect(orders.create(broken)).rejects.toThrow('partition key field "orderId"');
  });

  it('pages a partition query with continuation tokens', async () => {
    const orderId = 'ord-paged';
    for (let n = 0; n < 5; n++) await orders.create(order(orderId, n, `${orderId}-line-${n}`));

    const sql = 'SELECT * FROM c WHERE c.orderId = @orderId ORDER BY c.n';
    const seen: number[] = [];
    const pageSizes: number[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await orders.query(
        sql,
        { orderId },
        { partitionKey: orderId, maxItemCount: 2, continuationToken }
      );
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((item) => item.n));
      for (const item of page.items) expect(item).not.toHaveProperty('_rid');
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);

    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(pageSizes).toEqual([2, 2, 1]);
  });

  it('pages a cross-partition query and supports projections', async () => {
    for (let n = 0; n < 3; n++) await orders.create(order(`ord-x-${n}`, 100 + n));

    const collected: string[] = [];
    let continuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await orders.query<{ id: string }>(
        'SELECT c.id FROM c WHERE c.n >= @min',
        { '@min': 100 },
        { maxItemCount: 2, continuationToken }
      );
      pages++;
      collected.push(...page.items.map((item) => item.id));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);

    expect(collected.sort()).toEqual(['ord-x-0', 'ord-x-1', 'ord-x-2']);
    expect(pages).toBe(2);
  });

  it('returns an empty page without a token when nothing matches', async () => {
    await expect(orders.query('SELECT * FROM c WHERE c.n = @n', { n: -1 })).resolves.toEqual({ items: [] });
  });
});
