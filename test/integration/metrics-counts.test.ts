import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers, type Containers } from '../../shared/adapters/cosmos/containers';
import { CosmosIntakeCounters } from '../../shared/adapters/cosmos/intake-counters';
import { CosmosStoredCounts } from '../../shared/adapters/cosmos/stored-counts';

// The dashboard's counts as the embedded Cosmos server answers them (aggregate queries, incr patches).

const databaseId = `it-metrics-${randomUUID().slice(0, 8)}`;
let client: CosmosClient;
let containers: Containers;
let now = new Date('2026-11-30T23:59:00Z');

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  ({ containers } = await ensureDatabaseAndContainers(client, databaseId));
});

afterAll(async () => {
  await client.database(databaseId).delete();
  client.dispose();
});

it('keeps every concurrent intake count, across months, and totals them', async () => {
  const counters = new CosmosIntakeCounters(containers.meter, { now: () => now });
  expect(await counters.totals()).toEqual({ received: 0, duplicates: 0, rejected: 0 });
  await Promise.all([
    ...Array.from({ length: 20 }, () => counters.add({ received: 1 })),
    ...Array.from({ length: 5 }, () => counters.add({ received: 1, duplicates: 1 })),
    counters.add({ rejected: 1 }),
  ]);
  now = new Date('2026-12-01T00:01:00Z');
  await counters.add({ rejected: 2 });
  await counters.add({});
  expect(await counters.totals()).toEqual({ received: 25, duplicates: 5, rejected: 3 });
});

it('counts queued intakes once per id, whatever the redeliveries, in a month of its own', async () => {
  const counters = new CosmosIntakeCounters(containers.meter, {
    now: () => new Date('2027-01-15T10:00:00Z'),
  });
  const before = await counters.totals();
  const first = [
    { id: 'order-1', duplicate: false },
    { id: 'order-2', duplicate: false },
    { id: 'request-3', duplicate: true },
  ];
  await counters.addOnce(first);
  // A redelivery of the same message, then a group with one id counted already.
  await counters.addOnce(first);
  await counters.addOnce([
    { id: 'order-2', duplicate: false },
    { id: 'order-4', duplicate: false },
  ]);
  await counters.addOnce([]);
  expect(await counters.totals()).toEqual({
    received: before.received + 4,
    duplicates: before.duplicates + 1,
    rejected: before.rejected,
  });
});

it('counts orders by state and error entries by list and status from the documents', async () => {
  const stored = new CosmosStoredCounts(containers.orders, containers.jobs);
  const states = ['created', 'created', 'cancelled', 'custom state', 'unlisted'];
  await Promise.all(
    states.map((state, i) =>
      containers.orders.items.create({ id: `o${i}`, orderId: `o${i}`, type: 'order', state })
    )
  );
  // Not orders: a timeline entry in an order's partition is not counted.
  await containers.orders.items.create({ id: 't0', orderId: 'o0', type: 'timeline', state: 'created' });
  expect(await stored.ordersByState(['created', 'cancelled', 'custom state', 'completed'])).toEqual({
    total: 5,
    byState: { created: 2, cancelled: 1, 'custom state': 1, completed: 0 },
  });

  const entry = (id: string, kind: string, status: string) => ({ id, type: 'error-entry', kind, status });
  await Promise.all(
    [
      entry('e1', 'policy', 'open'),
      entry('e2', 'policy', 'open'),
      entry('e3', 'policy', 'resubmitted'),
      entry('e4', 'provider-inbound', 'dismissed'),
    ].map((doc) => containers.jobs.items.create(doc))
  );
  expect(await stored.errorEntries('policy')).toEqual({ open: 2, resubmitted: 1, dismissed: 0 });
  expect(await stored.errorEntries('provider-inbound')).toEqual({ open: 0, resubmitted: 0, dismissed: 1 });
  expect(await stored.errorEntries('provider-action')).toEqual({ open: 0, resubmitted: 0, dismissed: 0 });
});
