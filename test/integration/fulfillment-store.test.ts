import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers, type Containers } from '../../shared/adapters/cosmos/containers';
import { CosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store';
import { CosmosProductRepository } from '../../shared/adapters/cosmos/product-repository';
import { CosmosSourceListRepository } from '../../shared/adapters/cosmos/source-list-repository';
import { CosmosSourceRepository } from '../../shared/adapters/cosmos/source-repository';
import { CosmosStrategyRepository } from '../../shared/adapters/cosmos/strategy-repository';
import { InventorySourcingStock } from '../../shared/adapters/inventory-sourcing-stock';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import { putStrategy } from '../../shared/app/fulfillment/fulfillment-strategies';
import type { InventoryDeps } from '../../shared/ports/inventory-requests';
import { InventoryReservationQueue } from '../../shared/app/inventory/inventory-reservation-queue';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import { reserveInventory } from '../../shared/app/inventory/reserve-inventory';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../shared/domain/errors';
import type { StrategyInput } from '../../shared/domain/fulfillment/strategy';
import { defaultMeasureDefinitions } from '../../shared/domain/inventory/measures/measures';
import { compileInventoryValidators } from '../../shared/schemas/inventory.schema';
import { strategyInputSchema, strategyRouteSchema } from '../../shared/schemas/strategy.schema';
import { compileValidator } from '../../shared/schemas/validator';
import { storedSource, storedStrategy } from '../unit/fulfillment-api/memory-repositories';

/** The fulfillment adapters against the embedded Cosmos server the Jest global setup starts. */

const databaseId = `it-fulfillment-${randomUUID()}`;
const clock = { now: () => new Date() };
let client: CosmosClient;
let containers: Containers;

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  ({ containers } = await ensureDatabaseAndContainers(client, databaseId));
});

afterAll(async () => {
  await client
    ?.database(databaseId)
    .delete()
    .catch(() => undefined);
  client?.dispose();
});

it('writes a new default and the unset old one in one batch, or neither', async () => {
  const repo = new CosmosStrategyRepository(containers.config, clock);
  const [a] = await repo.write([{ strategy: storedStrategy('A', { isDefault: true }) }]);
  expect(a!.etag).not.toBe('');
  await repo.write([{ strategy: storedStrategy('B') }]);
  const b = (await repo.get('B'))!;

  // The second write names a version of A that is gone: nothing of the batch lands.
  await repo.write([{ strategy: storedStrategy('A', { isDefault: true, name: 'changed' }), etag: a!.etag }]);
  await expect(
    repo.write([
      { strategy: { ...b.strategy, isDefault: true }, etag: b.etag },
      { strategy: { ...storedStrategy('A'), isDefault: false }, etag: a!.etag },
    ])
  ).rejects.toBeInstanceOf(PreconditionFailedError);
  expect((await repo.list()).map((s) => [s.strategy.id, s.strategy.isDefault])).toEqual([
    ['A', true],
    ['B', false],
  ]);
  await expect(repo.write([{ strategy: storedStrategy('B') }])).rejects.toBeInstanceOf(ConflictError);

  // Through the use case: making B the default unsets A in the same batch.
  const validators = {
    route: compileValidator<{ id: string }>(strategyRouteSchema, 'strategy id'),
    body: compileValidator<StrategyInput>(strategyInputSchema, 'strategy'),
  };
  const deps = {
    validators,
    strategies: repo,
    sourceLists: new CosmosSourceListRepository(containers.config, clock),
    clock,
  };
  const made = await putStrategy(deps, 'B', { isDefault: true, objective: 'cost', constraints: [] });
  expect(made.strategy).toMatchObject({
    id: 'B',
    isDefault: true,
    objective: 'cost',
    createdAt: b.strategy.createdAt,
  });
  expect((await repo.list()).filter((s) => s.strategy.isDefault).map((s) => s.strategy.id)).toEqual(['B']);

  const stale = (await repo.get('A'))!;
  await repo.delete('A', stale.etag);
  expect(await repo.get('A')).toBeUndefined();
  await expect(repo.delete('A', stale.etag)).rejects.toBeInstanceOf(NotFoundError);
});

it('stores, replaces at a version, lists and deletes source lists', async () => {
  const repo = new CosmosSourceListRepository(containers.config, clock);
  const at = new Date().toISOString();
  const created = await repo.create({
    id: 'L1',
    name: 'East',
    sourceIds: ['X', 'Y'],
    createdAt: at,
    updatedAt: at,
  });
  await expect(repo.create({ ...created.sourceList })).rejects.toBeInstanceOf(ConflictError);
  const replaced = await repo.replace({ ...created.sourceList, sourceIds: ['Y', 'X'] }, created.etag);
  await expect(repo.replace(created.sourceList, created.etag)).rejects.toBeInstanceOf(
    PreconditionFailedError
  );
  expect((await repo.get('L1'))?.sourceList.sourceIds).toEqual(['Y', 'X']);
  expect((await repo.list()).map((l) => l.id)).toEqual(['L1']);
  await expect(repo.delete('L1', created.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
  await repo.delete('L1', replaced.etag);
  expect(await repo.get('L1')).toBeUndefined();
});

it("gives the optimizer stock before safety stock: availableToReserve plus the source's safety stock", async () => {
  const deps: InventoryDeps = {
    validators: compileInventoryValidators(),
    store: new CosmosInventoryStore(containers.inventory, clock),
    sources: new CosmosSourceRepository(containers.catalog, clock),
    products: new CosmosProductRepository(containers.catalog, clock),
    clock,
    measures: defaultMeasureDefinitions,
    reservationQueue: new InventoryReservationQueue(),
  };
  await deps.sources.create(storedSource('S-SAFE', 40, -100, { safetyStock: 2 }));
  await deps.sources.create(storedSource('S-NONE', 40, -101));
  const at = new Date().toISOString();
  await deps.products.create({ sku: 'SKU-1', name: 'one', createdAt: at, updatedAt: at });
  await applyInventoryChanges(deps, [
    { id: 'c1', sku: 'SKU-1', sourceId: 'S-SAFE', measure: 'onhand', quantity: 10 },
    { id: 'c2', sku: 'SKU-1', sourceId: 'S-NONE', measure: 'onhand', quantity: 1 },
  ]);
  await reserveInventory(deps, { id: 'r1', sku: 'SKU-1', sourceId: 'S-SAFE', quantity: 3 });
  await reserveInventory(deps, { id: 'r2', sku: 'SKU-1', sourceId: 'S-NONE', quantity: 1 });

  const stock = new InventorySourcingStock((request) => queryInventory(deps, request));
  // S-SAFE: 10 on hand − 3 reserved − 2 safety = 5 available to reserve; the optimizer gets 7.
  // S-NONE: nothing left, so no row.
  expect(await stock.available(['SKU-1', 'SKU-2'])).toEqual([
    { sku: 'SKU-1', sourceId: 'S-SAFE', quantity: 7 },
  ]);
  expect(await stock.available(['SKU-1'], ['S-NONE'])).toEqual([]);
  expect(await stock.available(['SKU-1'], [])).toEqual([]);
});
