import { getBusinessEventPublisher } from '../events/wiring';
import { shipFromReservation } from '../inventory/ship-from-reservation';
import { unreserveInventory } from '../inventory/unreserve-inventory';
import { getInventoryDeps } from '../inventory/wiring';
import { getJourneySignals, getJourneysInForce } from '../journeys/wiring';
import { getFulfillmentOrderRepository, getOrderRepository } from '../orders/wiring';
import { getClock, getIdGenerator } from '../platform/wiring';
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

/** Shipping consumes and cancelling releases reservations through the inventory use cases. */
const fulfillmentInventory: FulfillmentInventory = {
  async ship(move) {
    await shipFromReservation(await getInventoryDeps(), move);
  },
  async release(move) {
    await unreserveInventory(await getInventoryDeps(), {
      reservationId: move.reservationId,
      sku: move.sku,
      quantity: move.quantity,
      id: move.id,
    });
  },
};

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
    inventory: fulfillmentInventory,
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
