import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { ensureDatabaseAndContainers, type Containers } from '../../shared/adapters/cosmos/containers';
import { CosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store';
import { CosmosProductRepository } from '../../shared/adapters/cosmos/product-repository';
import { CosmosSourceRepository } from '../../shared/adapters/cosmos/source-repository';
import { applyInventoryChanges } from '../../shared/app/inventory/apply-inventory-changes';
import type { InventoryChangeInput, InventoryDeps } from '../../shared/ports/inventory-requests';
import { InventoryReservationQueue } from '../../shared/app/inventory/inventory-reservation-queue';
import { queryInventory } from '../../shared/app/inventory/query-inventory';
import { defaultMeasureDefinitions } from '../../shared/domain/inventory/measures/measures';
import type { InventoryStore } from '../../shared/ports/inventory';
import { compileInventoryValidators } from '../../shared/schemas/inventory.schema';

/**
 * A file of already-applied change events imported again (the import applies 512 at a time through
 * applyInventoryChanges): every row answers `duplicate`, nothing changes, and duplicates cost reads
 * only — no transactional batch at all, so no failed one. Timings go to the console for the report
 * (INVENTORY_DUPLICATE_ROWS sets the size, 5,000 by default like the file that was slow, over
 * INVENTORY_DUPLICATE_SOURCES sources, 50 by default: a row per SKU and source).
 */

const rows = Number(process.env.INVENTORY_DUPLICATE_ROWS ?? 5000);
const sourcesCount = Number(process.env.INVENTORY_DUPLICATE_SOURCES ?? 50);
const skuCount = Math.ceil(rows / sourcesCount);
const chunkSize = 512;
const databaseId = `it-inventory-dup-${randomUUID()}`;
const clock = { now: () => new Date() };
let client: CosmosClient;
let containers: Containers;

/** The real store, with its commits counted (successful and failed). */
function countingStore(store: InventoryStore, counts: { commits: number; failed: number }): InventoryStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name !== 'commit') {
        const value = Reflect.get(target, name, receiver) as unknown;
        // Bound to the store itself: its methods use private fields, which a proxy does not have.
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return async (...args: Parameters<InventoryStore['commit']>) => {
        const outcome = await target.commit(...args);
        if (args[1].length > 0) counts.commits++; // an empty commit sends nothing
        if (!outcome.ok) counts.failed++;
        return outcome;
      };
    },
  });
}

function deps(counts: { commits: number; failed: number }): InventoryDeps {
  return {
    validators: compileInventoryValidators(),
    store: countingStore(new CosmosInventoryStore(containers.inventory, clock), counts),
    sources: new CosmosSourceRepository(containers.catalog, clock),
    products: new CosmosProductRepository(containers.catalog, clock),
    clock,
    measures: defaultMeasureDefinitions,
    reservationQueue: new InventoryReservationQueue(),
  };
}

const file: InventoryChangeInput[] = Array.from({ length: rows }, (_, i) => ({
  id: `file-1-${i + 1}`,
  sku: `DUP-${Math.floor(i / sourcesCount)}`,
  sourceId: `S${i % sourcesCount}`,
  measure: 'onhand',
  quantity: 10,
}));

async function importFile(d: InventoryDeps): Promise<{ seconds: number; statuses: Record<string, number> }> {
  const started = performance.now();
  const statuses: Record<string, number> = {};
  for (let start = 0; start < file.length; start += chunkSize) {
    for (const result of await applyInventoryChanges(d, file.slice(start, start + chunkSize))) {
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    }
  }
  return { seconds: (performance.now() - started) / 1000, statuses };
}

beforeAll(async () => {
  client = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  ({ containers } = await ensureDatabaseAndContainers(client, databaseId));
  const at = clock.now().toISOString();
  const sources = new CosmosSourceRepository(containers.catalog, clock);
  for (let s = 0; s < sourcesCount; s++) {
    await sources.create({
      id: `S${s}`,
      name: `S${s}`,
      type: 'warehouse',
      address: { postalCode: '98052', country: 'US' },
      location: { lat: 47.67, lon: -122.12, geocoded: false },
      online: true,
      timeZone: 'UTC',
      safetyStock: 0,
      calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
      priority: 100,
      costs: {},
      acceptsReturns: false,
      createdAt: at,
      updatedAt: at,
    });
  }
  const products = new CosmosProductRepository(containers.catalog, clock);
  for (let k = 0; k < skuCount; k++) {
    await products.create({ sku: `DUP-${k}`, name: `DUP-${k}`, createdAt: at, updatedAt: at });
  }
}, 120_000);

afterAll(async () => {
  await client
    ?.database(databaseId)
    .delete()
    .catch(() => undefined);
  client?.dispose();
});

it(`answers a re-imported file of ${rows} applied rows with duplicates and writes nothing`, async () => {
  const first = { commits: 0, failed: 0 };
  const once = await importFile(deps(first));
  expect(once.statuses).toEqual({ applied: rows });

  const again = { commits: 0, failed: 0 };
  const twice = await importFile(deps(again));
  console.log(
    `${rows} rows: first import ${once.seconds.toFixed(1)} s (${first.commits} commits, ${first.failed} failed); ` +
      `re-import ${twice.seconds.toFixed(1)} s (${again.commits} commits, ${again.failed} failed)`
  );
  expect(twice.statuses).toEqual({ duplicate: rows });
  expect(again).toEqual({ commits: 0, failed: 0 });

  const { items } = await queryInventory(deps(first), { skus: ['DUP-0'], groupBy: 'none' });
  expect(items[0]?.measures.onhand).toBe(10 * sourcesCount);
}, 600_000);
