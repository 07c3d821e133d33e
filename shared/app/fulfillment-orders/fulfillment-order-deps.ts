import type { JourneyType } from '../../domain/journeys/journey';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { Clock } from '../../ports/clock';
import type { FulfillmentInventory, FulfillmentOrderRepository } from '../../ports/fulfillment-orders';
import type { JourneyRef, JourneySignals } from '../../ports/journey-signals';
import type { BusinessEventPublisher, IdGenerator, OrderRepository } from '../../ports/orders';
import type { FulfillmentOrderEventRequest } from '../../schemas/fulfillment-order-event.schema';

/** What the fulfillment-order use cases need (built by wiring.ts `fulfillmentOrderDeps`). */
export interface FulfillmentOrderDeps {
  fulfillmentOrders: FulfillmentOrderRepository;
  orders: OrderRepository;
  publisher: BusinessEventPublisher;
  signals: JourneySignals;
  journeysInForce: { refFor(type: JourneyType, entityId: string): Promise<JourneyRef | undefined> };
  inventory: FulfillmentInventory;
  config: StateFrameworkConfig;
  ids: IdGenerator;
  clock: Clock;
  validateEvent: (input: unknown) => FulfillmentOrderEventRequest;
}

/** Attempts of a read–decide–write that lost an ETag race. */
export const conflictAttempts = 8;
