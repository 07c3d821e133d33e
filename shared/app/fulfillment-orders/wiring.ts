import { createHash } from 'node:crypto';
import { getBusinessEventPublisher } from '../events/wiring';
import { checkReservationMove, shipFromReservation } from '../inventory/ship-from-reservation';
import { unreserveInventory } from '../inventory/unreserve-inventory';
import { getInventoryDeps, type InventoryDeps } from '../inventory/wiring';
import { getJourneysInForce } from '../journeys/wiring';
import { getFulfillmentOrderRepository, getOrderRepository } from '../orders/wiring';
import { getClock, getIdGenerator, getJourneySignals } from '../platform/wiring';
import { memo } from '../registry';
import { getStateFrameworkConfig } from '../states/wiring';
import type { FulfillmentInventory } from '../../ports/fulfillment-orders';
import {
  fulfillmentOrderEventSchema,
  type FulfillmentOrderEventRequest,
} from '../../schemas/fulfillment-order-event.schema';
import { compileValidator } from '../../schemas/validator';
import type { FulfillmentOrderDeps } from './fulfillment-order-deps';
import type { FulfillmentOrderQueryDeps } from './query-fulfillment-orders';

function getFulfillmentOrderEventValidator(): (input: unknown) => FulfillmentOrderEventRequest {
  return memo('validator:fulfillment-order-event', () =>
    compileValidator<FulfillmentOrderEventRequest>(fulfillmentOrderEventSchema, 'fulfillment order event')
  );
}

/**
 * Shipping consumes and cancelling releases reservations through the inventory use cases. A move's
 * id (FO, event, line and reservation) may be longer than inventory ids may be: it is hashed.
 */
export function fulfillmentInventory(inventoryDeps: () => Promise<InventoryDeps>): FulfillmentInventory {
  const idOf = (id: string) => `fo-${createHash('sha256').update(id).digest('base64url').slice(0, 40)}`;
  return {
    async ship(move) {
      await shipFromReservation(await inventoryDeps(), { ...move, id: idOf(move.id) });
    },
    async check(kind, move) {
      await checkReservationMove(await inventoryDeps(), kind, { ...move, id: idOf(move.id) });
    },
    async release(move) {
      await unreserveInventory(await inventoryDeps(), {
        reservationId: move.reservationId,
        sku: move.sku,
        quantity: move.quantity,
        id: idOf(move.id),
      });
    },
  };
}

/**
 * What the fulfillment-order use cases need (createFulfillmentOrders, sendFulfillmentOrders,
 * raiseFulfillmentOrderEvent, recordFulfillmentOrderEvent, cancelOrderFulfillment).
 */
export async function fulfillmentOrderDeps(): Promise<FulfillmentOrderDeps> {
  return {
    fulfillmentOrders: await getFulfillmentOrderRepository(),
    orders: await getOrderRepository(),
    publisher: getBusinessEventPublisher(),
    signals: getJourneySignals(),
    journeysInForce: await getJourneysInForce(),
    inventory: fulfillmentInventory(getInventoryDeps),
    config: await getStateFrameworkConfig(),
    ids: getIdGenerator(),
    clock: getClock(),
    validateEvent: getFulfillmentOrderEventValidator(),
  };
}

/** What reading fulfillment orders needs. */
export async function fulfillmentOrderQueryDeps(): Promise<FulfillmentOrderQueryDeps> {
  return { fulfillmentOrders: await getFulfillmentOrderRepository() };
}
