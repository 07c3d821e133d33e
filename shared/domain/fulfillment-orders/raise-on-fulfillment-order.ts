import { applyEvent } from '../states/apply-event';
import type { StateFrameworkConfig } from '../states/state-framework';
import { isOpenLine, type FulfillmentOrder } from './fulfillment-order';
import { raisedOnFulfillmentOrder, type FulfillmentOrderEventRaised } from './raised-event';

export interface RaiseOnFulfillmentOrderResult {
  fulfillmentOrder: FulfillmentOrder;
  /** The header's state before and after. */
  fromState: string;
  toState: string;
  /** The header event first, then the line events in line order. */
  raised: FulfillmentOrderEventRaised[];
}

/**
 * Raises a named event on an FO's header and, with `lines`, on each of its open lines (the provider's
 * `Send Fulfillment Order to Fulfillment Provider has Succeeded` moves both). The state framework
 * decides: a transition moves the state, an event without transitions for the entity leaves it
 * (and is still raised), a refused one throws TransitionNotAllowedError and nothing is returned.
 * Pure; the input is unchanged.
 */
export function raiseOnFulfillmentOrder(
  current: FulfillmentOrder,
  name: string,
  config: StateFrameworkConfig,
  now: Date,
  options: { lines?: boolean } = {}
): RaiseOnFulfillmentOrderResult {
  const fo = structuredClone(current);
  const fromState = fo.state;
  const header = applyEvent(config, { entityType: 'fulfillmentOrder', currentState: fromState, event: name });
  if (header.kind === 'transitioned') setState(fo, header.state, header.reason);
  const raised = [raisedOnFulfillmentOrder(fo, name, fromState)];
  if (options.lines) {
    // A cancelled (or shipped) line is done: the event is not for it.
    for (const line of fo.lines.filter(isOpenLine)) {
      const from = line.state;
      const result = applyEvent(config, {
        entityType: 'fulfillmentOrderLine',
        currentState: from,
        event: name,
      });
      if (result.kind === 'transitioned') setState(line, result.state, result.reason);
      raised.push({
        entityType: 'fulfillmentOrderLine',
        entityId: line.id,
        fulfillmentOrderId: fo.id,
        orderIds: [line.orderId],
        name,
        fromState: from,
        toState: line.state,
        reason: line.stateReason ?? null,
      });
    }
  }
  fo.updatedAt = now.toISOString();
  return { fulfillmentOrder: fo, fromState, toState: fo.state, raised };
}

function setState(target: { state: string; stateReason?: string }, state: string, reason: string | null) {
  target.state = state;
  if (reason) target.stateReason = reason;
  else delete target.stateReason;
}
