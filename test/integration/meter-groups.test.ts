import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers } from '../../shared/adapters/cosmos/containers';
import { CosmosMeterRepository } from '../../shared/adapters/cosmos/meter-repository';

// The meter's group count (one transactional batch per month) on the embedded Cosmos server.

const databaseId = `it-meter-${randomUUID().slice(0, 8)}`;
let client: CosmosClient;
let meter: CosmosMeterRepository;

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  const { containers } = await ensureDatabaseAndContainers(client, databaseId);
  meter = new CosmosMeterRepository(containers.meter, { now: () => new Date('2026-11-27T12:00:00Z') });
});

afterAll(async () => {
  await client.database(databaseId).delete();
  client.dispose();
});

const usage = (orderId: string, orderLines: number, month = '2026-11') => ({ orderId, month, orderLines });

it('counts a group in each of its months, and counts nothing twice when part of it comes again', async () => {
  await meter.countAll([usage('a', 2), usage('b', 3), usage('c', 1, '2026-12')]);
  expect(await meter.months(['2026-11', '2026-12'])).toEqual([
    { month: '2026-11', orderLines: 5, orders: 2 },
    { month: '2026-12', orderLines: 1, orders: 1 },
  ]);

  // A redelivered group with one new order: the batch rolls back, and each is counted alone.
  await meter.countAll([usage('a', 2), usage('d', 4), usage('b', 3)]);
  expect(await meter.count(usage('d', 4))).toBe('already-counted');
  expect(await meter.months(['2026-11'])).toEqual([{ month: '2026-11', orderLines: 9, orders: 3 }]);
});

it('loses no increment when groups and single counts race on one month', async () => {
  const month = '2027-01';
  const groups = Array.from({ length: 8 }, (_, g) =>
    Array.from({ length: 12 }, (_, i) => usage(`g${g}-${i}`, 1 + (i % 3), month))
  );
  await Promise.all([
    ...groups.map((group) => meter.countAll(group)),
    ...Array.from({ length: 10 }, (_, i) => meter.count(usage(`single-${i}`, 2, month))),
  ]);
  const lines = groups.flat().reduce((sum, u) => sum + u.orderLines, 0) + 10 * 2;
  expect(await meter.months([month])).toEqual([{ month, orderLines: lines, orders: 8 * 12 + 10 }]);
});
