import { app, type HttpResponseInit } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import {
  allocateInventory,
  consumeAllocation,
  reallocateInventory,
  unallocateInventory,
  type AllocationResult,
} from '../shared/app/inventory/allocate-inventory';
import { applyInventoryChangeRequest } from '../shared/app/inventory/apply-inventory-changes';
import { entityTagOf } from '../shared/app/common/entity-tags';
import {
  readMeasureConfiguration,
  replaceMeasureConfiguration,
} from '../shared/app/inventory/measures/inventory-measure-config';
import type {
  AllocateInput,
  AllocationQueryInput,
  ConsumeInput,
  InventoryDeps,
  InventoryQueryInput,
  ReallocateInput,
  ReserveInput,
  UnreserveInput,
} from '../shared/ports/inventory-requests';
import { queryAllocations } from '../shared/app/inventory/query-allocations';
import { queryInventory } from '../shared/app/inventory/query-inventory';
import { reserveInventory } from '../shared/app/inventory/reserve-inventory';
import { unreserveInventory } from '../shared/app/inventory/unreserve-inventory';
import { getInventoryDeps, getInventoryMeasureDeps } from '../shared/composition';
import { writePreconditionsOf } from '../shared/http/versioned-resource';

/** Set on the answer to a request whose id had been handled before (nothing changed this time). */
const replayedHeader = 'idempotent-replayed';

type Work = (deps: InventoryDeps, body: unknown) => Promise<HttpResponseInit>;

/** A JSON POST route of an inventory use case. */
function jsonPost(work: Work) {
  return jsonHandler(async (_request, body) => work(await getInventoryDeps(), body));
}

/** Headers of an answer to a request whose id may have been handled before. */
function replayed(duplicate: boolean): Record<string, string> {
  return duplicate ? { [replayedHeader]: 'true' } : {};
}

function allocationAnswer(result: AllocationResult): HttpResponseInit {
  const { duplicate, ...view } = result;
  return { jsonBody: view, headers: replayed(duplicate) };
}

// The use cases validate their input first (ValidationError → 400 with paths): the bodies are passed
// as the request types they will be checked to be.
const routes: [name: string, route: string, work: Work][] = [
  [
    'inventoryOnhandBulk',
    'v1/inventory/onhand/bulk',
    async (deps, body) => ({ jsonBody: await applyInventoryChangeRequest(deps, 'delta', body) }),
  ],
  [
    'inventoryOnhandSet',
    'v1/inventory/onhand/set',
    async (deps, body) => ({ jsonBody: await applyInventoryChangeRequest(deps, 'set', body) }),
  ],
  [
    'inventoryQuery',
    'v1/inventory/query',
    async (deps, body) => ({ jsonBody: await queryInventory(deps, body as InventoryQueryInput) }),
  ],
  [
    'inventoryReserve',
    'v1/inventory/reserve',
    async (deps, body) => {
      const result = await reserveInventory(deps, body as ReserveInput);
      return { status: 201, jsonBody: result.reservation, headers: replayed(result.duplicate) };
    },
  ],
  [
    'inventoryUnreserve',
    'v1/inventory/unreserve',
    async (deps, body) => ({ jsonBody: await unreserveInventory(deps, body as UnreserveInput) }),
  ],
  [
    'inventoryAllocate',
    'v1/inventory/allocation/allocate',
    async (deps, body) => allocationAnswer(await allocateInventory(deps, body as AllocateInput)),
  ],
  [
    'inventoryReallocate',
    'v1/inventory/allocation/reallocate',
    async (deps, body) => allocationAnswer(await reallocateInventory(deps, body as ReallocateInput)),
  ],
  [
    'inventoryUnallocate',
    'v1/inventory/allocation/unallocate',
    async (deps, body) => allocationAnswer(await unallocateInventory(deps, body as AllocateInput)),
  ],
  [
    'inventoryConsume',
    'v1/inventory/allocation/consume',
    async (deps, body) => allocationAnswer(await consumeAllocation(deps, body as ConsumeInput)),
  ],
  [
    'inventoryAllocationQuery',
    'v1/inventory/allocation/query',
    async (deps, body) => ({ jsonBody: await queryAllocations(deps, body as AllocationQueryInput) }),
  ],
];

for (const [name, route, work] of routes) {
  app.http(name, { route, methods: ['POST'], authLevel: 'function', handler: jsonPost(work) });
}

/** GET /api/v1/inventory/measures: the measure configuration in force (no ETag while the defaults are). */
export const getInventoryMeasures = handler(async () => {
  const { configuration, etag } = await readMeasureConfiguration((await getInventoryMeasureDeps()).store);
  const headers: Record<string, string> = etag === undefined ? {} : { etag: entityTagOf(etag) };
  return { headers, jsonBody: configuration };
});

/** PUT /api/v1/inventory/measures: replaces the configuration; If-Match / If-None-Match honoured. */
export const putInventoryMeasures = jsonHandler(async (request, body) => {
  const result = await replaceMeasureConfiguration(
    await getInventoryMeasureDeps(),
    body,
    writePreconditionsOf(request)
  );
  return {
    status: result.created ? 201 : 200,
    headers: { etag: entityTagOf(result.etag) },
    jsonBody: result.configuration,
  };
});

app.http('getInventoryMeasures', {
  route: 'v1/inventory/measures',
  methods: ['GET'],
  authLevel: 'function',
  handler: getInventoryMeasures,
});
app.http('putInventoryMeasures', {
  route: 'v1/inventory/measures',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putInventoryMeasures,
});
