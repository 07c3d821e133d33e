import { applyInventoryChangeRequest } from '../shared/app/inventory/apply-inventory-changes';
import { queryInventory } from '../shared/app/inventory/query-inventory';
import { reserveInventory } from '../shared/app/inventory/reserve-inventory';
import { unreserveInventory } from '../shared/app/inventory/unreserve-inventory';
import {
  getInventoryDeps,
  type InventoryDeps,
  type InventoryRequests as R,
} from '../shared/app/inventory/wiring';
import { replayed } from '../shared/http/inventory-answers';
import { postRoutes, type JsonPostWork } from '../shared/http/route';

// The use cases validate their input first (ValidationError → 400 with paths): the bodies are passed
// as the request types they will be checked to be.
const routes: [name: string, path: string, work: JsonPostWork<InventoryDeps>][] = [
  [
    'inventoryOnhandBulk',
    'onhand/bulk',
    async (d, b) => ({ jsonBody: await applyInventoryChangeRequest(d, 'delta', b) }),
  ],
  [
    'inventoryOnhandSet',
    'onhand/set',
    async (d, b) => ({ jsonBody: await applyInventoryChangeRequest(d, 'set', b) }),
  ],
  ['inventoryQuery', 'query', async (d, b) => ({ jsonBody: await queryInventory(d, b as R['query']) })],
  [
    'inventoryReserve',
    'reserve',
    async (d, b) => {
      const result = await reserveInventory(d, b as R['reserve']);
      return { status: 201, jsonBody: result.reservation, headers: replayed(result.duplicate) };
    },
  ],
  [
    'inventoryUnreserve',
    'unreserve',
    async (d, b) => ({ jsonBody: await unreserveInventory(d, b as R['unreserve']) }),
  ],
];

/** POST /api/v1/inventory/{onhand/bulk, onhand/set, query, reserve, unreserve}. */
postRoutes('v1/inventory', getInventoryDeps, routes);
