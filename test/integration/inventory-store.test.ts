import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers, type Containers } from '../../shared/adapters/cosmos/containers';
import { CosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store';
import { CosmosProductRepository } from '../../shared/adapters/cosmos/product-repository';
import { CosmosSourceRepository } from '../../shared/adapters/cosmos/source-repository';
import {
  allocateInventory,
  consumeAllocation,
  reallocateInventory,
} from '../../shared/app/inventory/allocate-inventory';
import {
  applyInventoryChangeRequest,
  applyInventoryChanges,
} from '../../shared/app/inventory/apply-inventory-changes';
import type { InventoryDeps } from '../../shared/ports/inventory-requests';
import { InventoryReservationQueue } from '../../shared/app/inventory/inventory-reservation-queue';
import { queryAllocations } from '../../shared/app/inventory/query-allocations';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import { reserveInventory } from '../../shared/app/inventory/reserve-inventory';
import { unreserveInventory } from '../../shared/app/inventory/unreserve-inventory';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/domain/errors';
import { defaultMeasureDefinitions } from '../../shared/domain/inventory/measures/measures';
import type { Source } from '../../shared/domain/fulfillment/source';
import { compileInventoryValidators } from '../../shared/schemas/inventory.schema';

/** The inventory use cases against the embedded Cosmos server that the Jest global setup starts. */

const databaseId = `it-inventory-${randomUUID()}`;
const clock = { now: () => new Date() };
const validators = compileInventoryValidators();
let client: CosmosClient;
let containers: Containers;

/** Deps as one worker has them; two of these with separate queues act as two workers. */
function workerDeps(): InventoryDeps {
  return {
    validators,
    store: new CosmosInventoryStore(containers.inventory, clock),
    sources: new CosmosSourceRepository(containers.catalog, clock),
    products: new CosmosProductRepository(containers.catalog, clock),
    clock,
    measures: defaultMeasureDefinitions,
    reservationQueue: new InventoryReservationQueue(),
  };
}

function source(id: string, safetyStock: number): Source {
  const at = clock.now().toISOString();
  return {
    id,
    name: id,
    type: 'warehouse',
    address: { postalCode: '98052', country: 'US' },
    location: { lat: 47.67, lon: -122.12, geocoded: false },
    online: true,
    timeZone: 'UTC',
    safetyStock,
    calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
    priority: 100,
    costs: {},
    acceptsReturns: false,
    createdAt: at,
    updatedAt: at,
  };
}

async function product(sku: string): Promise<void> {
  const at = clock.now().toISOString();
  await new CosmosProductRepository(containers.catalog, clock).create({
    sku,
    name: sku,
    createdAt: at,
    updatedAt: at,
  });
}

async function measures(deps: InventoryDeps, sku: string, sourceId: string) {
  const { items } = await queryInventory(deps, { skus: [sku], sourceIds: [sourceId] });
  return items[0]?.measures;
}

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  ({ containers } = await ensureDatabaseAndContainers(client, databaseId));
  const sources = new CosmosSourceRepository(containers.catalog, clock);
  await sources.create(source('WH1', 2));
  await sources.create(source('WH2', 0));
  for (const sku of ['HOT', 'CHG', 'BAD', 'ALLOC', 'REL']) await product(sku);
});

afterAll(async () => {
  await client
    ?.database(databaseId)
    .delete()
    .catch(() => undefined);
  client?.dispose();
});

it('lets exactly 50 of 200 concurrent one-unit reservations from two workers through when 50 are available', async () => {
  const workers = [workerDeps(), workerDeps()];
  // 52 on hand less a safety stock of 2.
  await applyInventoryChanges(workers[0]!, [
    { id: 'hot-stock', sku: 'HOT', sourceId: 'WH1', measure: 'onhand', quantity: 52 },
  ]);
  const outcomes = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) =>
      reserveInventory(workers[i % 2]!, { id: `hot-${i}`, sku: 'HOT', sourceId: 'WH1', quantity: 1 })
    )
  );
  const succeeded = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [{ i, value: o.value }] : []));
  const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  expect(succeeded).toHaveLength(50);
  expect(failed).toHaveLength(150);
  for (const reason of failed) {
    expect(reason).toBeInstanceOf(ConflictError);
    expect((reason as ConflictError).code).toBe('insufficient-inventory');
  }
  expect(succeeded.every((s) => !s.value.duplicate)).toBe(true);
  expect(await measures(workers[0]!, 'HOT', 'WH1')).toMatchObject({
    onhand: 52,
    softReserved: 50,
    safetyStock: 2,
    availableToReserve: 0,
  });
  const stored = await workers[0]!.store.getReservations(
    'HOT',
    outcomes.map((_, i) => `hot-${i}`)
  );
  expect(stored.map((r) => r.reservationId).sort()).toEqual(succeeded.map((s) => `hot-${s.i}`).sort());

  // A repeat of a succeeded id answers the same reservation, on either worker, and holds nothing more.
  const winner = succeeded[0]!;
  for (const worker of workers) {
    const again = await reserveInventory(worker, {
      id: `hot-${winner.i}`,
      sku: 'HOT',
      sourceId: 'WH1',
      quantity: 1,
    });
    expect(again).toEqual({ reservation: winner.value.reservation, duplicate: true });
  }
  // The same id with another quantity is a reused id, not a repeat.
  await expect(
    reserveInventory(workers[1]!, { id: `hot-${winner.i}`, sku: 'HOT', sourceId: 'WH1', quantity: 2 })
  ).rejects.toMatchObject({ code: 'id-reused' });
  expect(await measures(workers[0]!, 'HOT', 'WH1')).toMatchObject({
    softReserved: 50,
    availableToReserve: 0,
  });
});

it('applies each change event once, even when the same events arrive twice at the same time', async () => {
  const deps = workerDeps();
  const events = Array.from({ length: 120 }, (_, i) => ({
    id: `chg-${i}`,
    sku: 'CHG',
    sourceId: i % 2 === 0 ? 'WH1' : 'WH2',
    measure: 'onhand',
    quantity: 1,
    ...(i % 3 === 0 ? { dimensions: { color: 'red' } } : {}),
  }));
  const [first, second] = await Promise.all([
    applyInventoryChanges(deps, events),
    applyInventoryChanges(workerDeps(), events),
  ]);
  const statuses = first.map((r, i) => [r.status, second[i]!.status].sort().join('+'));
  expect(new Set(statuses)).toEqual(new Set(['applied+duplicate']));
  const { items } = await queryInventory(deps, { skus: ['CHG'], groupBy: 'none' });
  expect(items).toEqual([{ sku: 'CHG', sourceId: null, measures: expect.objectContaining({ onhand: 120 }) }]);
  const rows = await queryInventory(deps, { skus: ['CHG'], groupBy: 'row', dimensions: { color: 'red' } });
  expect(rows.items.map((i) => [i.sourceId, i.dimensions, i.measures.onhand])).toEqual([
    ['WH1', { color: 'red' }, 20],
    ['WH2', { color: 'red' }, 20],
  ]);
  // One call, per-event results: a bad event does not hold back the good ones.
  const mixed = await applyInventoryChanges(deps, [
    {
      id: 'chg-0',
      sku: 'CHG',
      sourceId: 'WH1',
      measure: 'onhand',
      quantity: 1,
      dimensions: { color: 'red' },
    },
    { id: 'chg-x1', sku: 'NOPE', sourceId: 'WH1', measure: 'onhand', quantity: 1 },
    { id: 'chg-x2', sku: 'CHG', sourceId: 'WH1', measure: 'onhand', quantity: -1000 },
    { id: 'chg-x3', sku: 'CHG', sourceId: 'WH1', measure: 'ordered', quantity: 7, mode: 'set' },
    { id: 'chg-0', sku: 'CHG', sourceId: 'WH1', measure: 'onhand', quantity: 5 },
  ]);
  expect(mixed.map((r) => [r.status, r.code])).toEqual([
    ['duplicate', undefined],
    ['error', 'unknown-sku'],
    ['error', 'negative-measure'],
    ['applied', undefined],
    ['error', 'id-reused'],
  ]);
});

it('refuses a bad bulk or set call whole, naming every offending path, and applies nothing', async () => {
  const deps = workerDeps();
  const before = await queryInventory(deps, { skus: ['BAD', 'CHG'] });
  const bad = [
    { id: 'b1', sku: 'BAD', sourceId: 'WH1', measure: 'onhand', quantity: 5 },
    { id: 'b2', sku: 'BAD', sourceId: 'WH1', measure: 'softReserved', quantity: 5 },
    { id: 'b3', sku: 'GHOST', sourceId: 'NOWHERE', measure: 'onhand', quantity: 5 },
    { id: 'b4', sku: 'BAD', sourceId: 'WH1', measure: 'onhand' },
  ];
  const refused = await applyInventoryChangeRequest(deps, 'delta', bad).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(ValidationError);
  expect((refused as ValidationError).errors.map((e) => e.path)).toEqual(['/3/quantity']);
  const refused2 = (await applyInventoryChangeRequest(deps, 'delta', bad.slice(0, 3)).catch(
    (e: unknown) => e
  )) as ValidationError;
  expect(refused2.errors.map((e) => e.path)).toEqual(['/1/measure', '/2/sku', '/2/sourceId']);
  const negative = (await applyInventoryChangeRequest(deps, 'set', [
    { sku: 'BAD', sourceId: 'WH1', measure: 'onhand', quantity: 5 },
    { sku: 'BAD', sourceId: 'WH1', measure: 'onhand', quantity: -1 },
  ]).catch((e: unknown) => e)) as ValidationError;
  expect(negative.errors.map((e) => e.path)).toEqual(['/1/quantity']);
  const tooMany = Array.from({ length: 513 }, (_, i) => ({ ...bad[0]!, id: `many-${i}` }));
  const long = (await applyInventoryChangeRequest(deps, 'delta', tooMany).catch(
    (e: unknown) => e
  )) as ValidationError;
  expect(long.errors).toEqual([{ path: '', message: 'must NOT have more than 512 items' }]);
  expect(await queryInventory(deps, { skus: ['BAD', 'CHG'] })).toEqual(before);
});

it('refuses reservations for an unknown SKU or source, naming it', async () => {
  const deps = workerDeps();
  await expect(
    reserveInventory(deps, { id: 'u1', sku: 'GHOST', sourceId: 'WH1', quantity: 1 })
  ).rejects.toMatchObject({
    code: 'unknown-sku',
  });
  await expect(
    reserveInventory(deps, { id: 'u2', sku: 'HOT', sourceId: 'NOWHERE', quantity: 1 })
  ).rejects.toBeInstanceOf(NotFoundError);
});

it('allocates, reallocates, consumes into a reservation that unreserve releases, and answers repeats the same', async () => {
  const deps = workerDeps();
  await applyInventoryChanges(deps, [
    { id: 'al-stock', sku: 'ALLOC', sourceId: 'WH2', measure: 'onhand', quantity: 10 },
  ]);
  const web = { channel: 'web' };
  const vip = { channel: 'web', customerGroup: 'vip' };
  const allocated = await allocateInventory(deps, {
    id: 'al-1',
    sku: 'ALLOC',
    sourceId: 'WH2',
    group: web,
    quantity: 6,
  });
  expect(allocated).toMatchObject({ duplicate: false, allocations: [{ channel: 'web', quantity: 6 }] });
  expect(
    await allocateInventory(deps, { id: 'al-1', sku: 'ALLOC', sourceId: 'WH2', group: web, quantity: 6 })
  ).toEqual({
    ...allocated,
    duplicate: true,
  });
  await expect(
    allocateInventory(deps, { id: 'al-2', sku: 'ALLOC', sourceId: 'WH2', group: vip, quantity: 5 })
  ).rejects.toMatchObject({ code: 'insufficient-inventory' });
  await reallocateInventory(deps, {
    id: 'al-3',
    sku: 'ALLOC',
    sourceId: 'WH2',
    from: web,
    to: vip,
    quantity: 2,
  });
  const consumed = await consumeAllocation(deps, {
    id: 'order-7',
    sku: 'ALLOC',
    sourceId: 'WH2',
    group: vip,
    quantity: 2,
    reserve: true,
  });
  expect(consumed.reservationId).toBe('order-7');
  expect(await measures(deps, 'ALLOC', 'WH2')).toMatchObject({
    onhand: 10,
    allocated: 4,
    softReserved: 2,
    availableToReserve: 4,
  });
  expect((await queryAllocations(deps, { skus: ['ALLOC'] })).items).toEqual([
    { sku: 'ALLOC', sourceId: 'WH2', channel: 'web', allocated: 4 },
  ]);
  const partial = await unreserveInventory(deps, { reservationId: 'order-7', quantity: 1, id: 'rel-1' });
  expect(partial).toMatchObject({ released: 1, remaining: 1 });
  expect(
    await unreserveInventory(deps, { reservationId: 'order-7', quantity: 1, id: 'rel-1' })
  ).toMatchObject({
    released: 1,
    remaining: 1,
  });
  await expect(unreserveInventory(deps, { reservationId: 'order-7', quantity: 2 })).rejects.toMatchObject({
    code: 'exceeds-reservation',
  });
  expect(await unreserveInventory(deps, { reservationId: 'order-7', sku: 'ALLOC' })).toMatchObject({
    released: 1,
    remaining: 0,
  });
  expect(await unreserveInventory(deps, { reservationId: 'order-7' })).toMatchObject({
    released: 0,
    remaining: 0,
  });
  expect(await measures(deps, 'ALLOC', 'WH2')).toMatchObject({ softReserved: 0, availableToReserve: 6 });
  await expect(unreserveInventory(deps, { reservationId: 'never' })).rejects.toMatchObject({
    code: 'unknown-reservation',
  });
});

it('does not refuse on the row a worker remembers when another worker has released stock since', async () => {
  const [a, b] = [workerDeps(), workerDeps()];
  await applyInventoryChanges(a, [
    { id: 'rel-stock', sku: 'REL', sourceId: 'WH2', measure: 'onhand', quantity: 3 },
  ]);
  await reserveInventory(a, { id: 'rel-1', sku: 'REL', sourceId: 'WH2', quantity: 3 });
  // Worker b releases; worker a still remembers the row as it wrote it (nothing available), and
  // must not refuse on that memory.
  await unreserveInventory(b, { reservationId: 'rel-1', sku: 'REL', quantity: 2 });
  expect(
    (await reserveInventory(a, { id: 'rel-3', sku: 'REL', sourceId: 'WH2', quantity: 2 })).duplicate
  ).toBe(false);
  expect(await measures(a, 'REL', 'WH2')).toMatchObject({ softReserved: 3, availableToReserve: 0 });
});

it('reads a source once for reservations of many SKUs at it that arrive at the same moment', async () => {
  const skus = Array.from({ length: 20 }, (_, i) => `SPREAD-${i}`);
  for (const sku of skus) await product(sku);
  const deps = workerDeps();
  await applyInventoryChanges(
    deps,
    skus.map((sku) => ({ id: `${sku}-stock`, sku, sourceId: 'WH2', measure: 'onhand', quantity: 5 }))
  );
  let sourceReads = 0;
  const sources = deps.sources;
  const counting: InventoryDeps = {
    ...deps,
    sources: Object.assign(Object.create(sources) as typeof sources, {
      get: (id: string) => {
        sourceReads++;
        return sources.get(id);
      },
    }),
  };
  const answers = await Promise.all(
    skus.map((sku) => reserveInventory(counting, { id: `${sku}-r`, sku, sourceId: 'WH2', quantity: 1 }))
  );
  expect(answers.map((a) => a.duplicate)).toEqual(skus.map(() => false));
  expect(sourceReads).toBe(1);
});
