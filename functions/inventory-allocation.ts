import {
  allocateInventory,
  consumeAllocation,
  reallocateInventory,
  unallocateInventory,
} from '../shared/app/inventory/allocate-inventory';
import { queryAllocations } from '../shared/app/inventory/query-allocations';
import {
  getInventoryDeps,
  type InventoryDeps,
  type InventoryRequests as R,
} from '../shared/app/inventory/wiring';
import { jsonBody } from '../shared/http/handler';
import { allocationAnswer } from '../shared/http/inventory-answers';
import { route } from '../shared/http/route';
import type { HttpResponseInit } from '@azure/functions';

type Work = (deps: InventoryDeps, body: unknown) => Promise<HttpResponseInit>;

// As in inventory.ts: each use case validates the body it is given.
const routes: [name: string, path: string, work: Work][] = [
  [
    'inventoryAllocate',
    'allocate',
    async (d, b) => allocationAnswer(await allocateInventory(d, b as R['allocate'])),
  ],
  [
    'inventoryReallocate',
    'reallocate',
    async (d, b) => allocationAnswer(await reallocateInventory(d, b as R['reallocate'])),
  ],
  [
    'inventoryUnallocate',
    'unallocate',
    async (d, b) => allocationAnswer(await unallocateInventory(d, b as R['allocate'])),
  ],
  [
    'inventoryConsume',
    'consume',
    async (d, b) => allocationAnswer(await consumeAllocation(d, b as R['consume'])),
  ],
  [
    'inventoryAllocationQuery',
    'query',
    async (d, b) => ({ jsonBody: await queryAllocations(d, b as R['allocationQuery']) }),
  ],
];

/** POST /api/v1/inventory/allocation/{allocate, reallocate, unallocate, consume, query}. */
for (const [name, path, work] of routes) {
  route(name, 'POST', `v1/inventory/allocation/${path}`, async (request) => {
    const body = await jsonBody(request);
    return work(await getInventoryDeps(), body.value);
  });
}
