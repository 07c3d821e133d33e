import type { FulfillmentOrder } from './fulfillment-order';

/**
 * A business event the FO rules raised (a name from the catalogue) with the state change it made.
 * Ids and timestamps are the caller's: it turns each into a RaisedBusinessEvent per order in
 * `orderIds` (an FO merged from several orders shows on each order's timeline).
 */
export interface FulfillmentOrderEventRaised {
  entityType: 'fulfillmentOrder' | 'fulfillmentOrderLine';
  /** The FO id, or the FO line id (`{orderId}:{lineId}`). */
  entityId: string;
  fulfillmentOrderId: string;
  orderIds: string[];
  name: string;
  fromState: string;
  toState: string;
  reason: string | null;
}

/** `name` raised on the FO's header, which it moved from `fromState` to the state it is in now. */
export function raisedOnFulfillmentOrder(
  fo: FulfillmentOrder,
  name: string,
  fromState: string = fo.state
): FulfillmentOrderEventRaised {
  return {
    entityType: 'fulfillmentOrder',
    entityId: fo.id,
    fulfillmentOrderId: fo.id,
    orderIds: [...fo.orderIds],
    name,
    fromState,
    toState: fo.state,
    reason: fo.stateReason ?? null,
  };
}
