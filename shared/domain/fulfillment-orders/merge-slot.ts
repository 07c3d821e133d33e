import { shipToKeyOf, type FulfillmentOrder } from './fulfillment-order';
import { mayJoin } from './fulfillment-orders-from-plan';

/**
 * The merge slot of a (customer, ship-to, source): which FO new lines of that key go on while the
 * batch window is open (docs/fulfillment-orders.md, "Merge slots"). An order that would create a new
 * FO claims the slot for it first; an order that finds the slot claimed joins the claimed FO, so two
 * orders created at the same moment never end up on two FOs.
 */
export interface MergeSlot {
  /** `mergeKeyOf` the FO: who it ships for, where to and from where. */
  key: string;
  /** The FO the slot is claimed for (it may not be stored yet: its creator claims first). */
  foId: string;
  /** Until when orders may join it: the FO's `sendAfter` (creation + the window). */
  openUntil: string;
  /** The order whose creation claimed the slot. */
  claimedBy: string;
}

/** Customer, ship-to and source: FOs of one key may merge (`fulfillmentOrdersFromPlan`). */
export function mergeKeyOf(fo: Pick<FulfillmentOrder, 'customerKey' | 'shipTo' | 'sourceId'>): string {
  return [fo.customerKey, shipToKeyOf(fo.shipTo), fo.sourceId].join('\n');
}

/**
 * Whether a new FO needs the slot of its key: only with a window, and only when another order can
 * share the key (a customer recognized by nothing but the order itself never shares an FO).
 */
export function needsMergeSlot(
  fo: Pick<FulfillmentOrder, 'customerKey'>,
  batchWindowSeconds: number
): boolean {
  return batchWindowSeconds > 0 && !fo.customerKey.startsWith('order:');
}

/** The slot claimed for a new FO (`openUntil` is its `sendAfter`). */
export function mergeSlotFor(fo: FulfillmentOrder, claimedBy: string): MergeSlot {
  return { key: mergeKeyOf(fo), foId: fo.id, openUntil: fo.sendAfter, claimedBy };
}

export type ClaimedSlotDecision =
  /** The claimed FO is stored and open: put the lines on it instead of on a new FO. */
  | { kind: 'join' }
  /** Its creator is between claiming and storing it: read again shortly. */
  | { kind: 'wait' }
  /** The slot is free to take over (its FO is closed, or it expired before its FO was stored). */
  | { kind: 'claim' }
  /** Waited long enough for an FO that never appeared (its creator died): take over, without a merge. */
  | { kind: 'abandon'; reason: string };

/**
 * What an order that would create a new FO does about a slot another FO holds. `claimed` is that FO
 * as stored (undefined: not stored), judged with the same rule the plan uses (`mayJoin`: still `new`
 * and created within this order's window), so a `join` leads the plan to join it. `waitedOut`: the
 * caller has waited as long as it will for the claimed FO.
 */
export function decideOnClaimedSlot(input: {
  slot: MergeSlot;
  claimed: FulfillmentOrder | undefined;
  now: Date;
  batchWindowSeconds: number;
  waitedOut: boolean;
}): ClaimedSlotDecision {
  const { slot, claimed, now } = input;
  if (claimed !== undefined) {
    return mayJoin(claimed, now, input.batchWindowSeconds * 1000) ? { kind: 'join' } : { kind: 'claim' };
  }
  if (Date.parse(slot.openUntil) <= now.getTime()) return { kind: 'claim' };
  if (!input.waitedOut) return { kind: 'wait' };
  return {
    kind: 'abandon',
    reason: `not merged: fulfillment order ${slot.foId}, claimed by order ${slot.claimedBy} to merge into, was never stored`,
  };
}
