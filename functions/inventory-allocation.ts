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
import { allocationAnswer } from '../shared/http/inventory-answers';
import { postRoutes, type JsonPostWork } from '../shared/http/route';

// As in inventory.ts: each use case validates the body it is given.
const routes: [name: string, path: string, work: JsonPostWork<InventoryDeps>][] = [
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
postRoutes('v1/inventory/allocation', getInventoryDeps, routes);
