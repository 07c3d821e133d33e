import { CosmosInventoryMeasureStore } from '../../adapters/cosmos/inventory-measure-store';
import { CosmosInventoryStore } from '../../adapters/cosmos/inventory-store';
import { CosmosSourceRepository } from '../../adapters/cosmos/source-repository';
import type {
  AllocateInput,
  AllocationQueryInput,
  ConsumeInput,
  InventoryDeps,
  InventoryQueryInput,
  InventoryValidators,
  ReallocateInput,
  ReserveInput,
  UnreserveInput,
} from '../../ports/inventory-requests';
import { compileMeasureConfigurationValidator } from '../../schemas/inventory-measures.schema';
import { compileInventoryValidators } from '../../schemas/inventory.schema';
import { getClock, getContainer } from '../platform/wiring';
import { getProductRepository } from '../products/wiring';
import { memo } from '../registry';
import { InventoryReservationQueue } from './inventory-reservation-queue';
import { MeasureDefinitionsCache, type MeasureConfigurationDeps } from './measures/inventory-measure-config';

function getInventoryValidators(): InventoryValidators {
  return memo('validators:inventory', () => compileInventoryValidators());
}

// One per worker: reservations for the same row from concurrent calls share its group commits.
function getReservationQueue(): InventoryReservationQueue {
  return memo('inventory:reservation-queue', () => new InventoryReservationQueue());
}

async function getInventoryMeasureStore(): Promise<CosmosInventoryMeasureStore> {
  return new CosmosInventoryMeasureStore(await getContainer('config'), getClock());
}

// One per worker: the measure configuration, read at most every few seconds.
function getMeasureCache(): MeasureDefinitionsCache {
  return memo(
    'inventory:measure-cache',
    () => new MeasureDefinitionsCache(getInventoryMeasureStore, getClock())
  );
}

/** `GET`/`PUT /api/v1/inventory/measures`: the configuration document and its validator. */
export async function getInventoryMeasureDeps(): Promise<Required<MeasureConfigurationDeps>> {
  return {
    store: await getInventoryMeasureStore(),
    validate: memo('validator:inventory-measures', () => compileMeasureConfigurationValidator()),
    cache: getMeasureCache(),
  };
}

/** Everything the inventory use cases need (ports/inventory-requests.ts), with the measures in force. */
export async function getInventoryDeps(): Promise<InventoryDeps> {
  const [inventory, catalog, measures] = await Promise.all([
    getContainer('inventory'),
    getContainer('catalog'),
    getMeasureCache().definitions(),
  ]);
  return {
    validators: getInventoryValidators(),
    store: new CosmosInventoryStore(inventory, getClock()),
    // Built here rather than taken from the fulfillment wiring, which itself uses this one.
    sources: new CosmosSourceRepository(catalog, getClock()),
    products: await getProductRepository(),
    clock: getClock(),
    measures,
    reservationQueue: getReservationQueue(),
  };
}

export type { InventoryDeps };

/** The request type each inventory route's body is validated to be. */
export interface InventoryRequests {
  query: InventoryQueryInput;
  reserve: ReserveInput;
  unreserve: UnreserveInput;
  allocate: AllocateInput;
  reallocate: ReallocateInput;
  consume: ConsumeInput;
  allocationQuery: AllocationQueryInput;
}
