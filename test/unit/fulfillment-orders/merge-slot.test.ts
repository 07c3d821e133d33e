import { fulfillmentOrdersFromPlan } from '../../../shared/domain/fulfillment-orders/fulfillment-orders-from-plan';
import {
  decideOnClaimedSlot,
  mergeKeyOf,
  mergeSlotFor,
  needsMergeSlot,
} from '../../../shared/domain/fulfillment-orders/merge-slot';
import type { Order } from '../../../shared/domain/orders/order';
import { NOW, ids, order } from './fixtures';

/** A new FO of order O1 (account C1, Berlin) at S1, created `NOW` with a window of `window` s. */
function newFo(window = 60, orderId = 'O1', customer: Order['customer'] = { accountId: 'C1' }) {
  return fulfillmentOrdersFromPlan({
    planLines: [{ orderId, lineId: '1', allocations: [{ sourceId: 'S1', quantity: 1 }] }],
    orders: [order(orderId, undefined, customer)],
    openFulfillmentOrders: [],
    batchWindowSeconds: window,
    now: NOW,
    newId: ids(`fo-${orderId}`),
  }).created[0]!;
}

const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('merge slots', () => {
  it('keys by customer, ship-to (normalized) and source', () => {
    const fo = newFo();
    expect(mergeKeyOf(fo)).toBe(mergeKeyOf({ ...fo, shipTo: { ...fo.shipTo, city: '  BERLIN ' } }));
    expect(mergeKeyOf(fo)).not.toBe(mergeKeyOf({ ...fo, sourceId: 'S2' }));
    expect(mergeKeyOf(fo)).not.toBe(mergeKeyOf({ ...fo, customerKey: 'account:C2' }));
    expect(mergeKeyOf(fo)).not.toBe(mergeKeyOf({ ...fo, shipTo: { ...fo.shipTo, postalCode: '10117' } }));
  });

  it('are needed only with a window and a customer other orders can share', () => {
    expect(needsMergeSlot(newFo(), 60)).toBe(true);
    expect(needsMergeSlot(newFo(), 0)).toBe(false);
    expect(needsMergeSlot(newFo(60, 'O9', {}), 60)).toBe(false);
  });

  it('are claimed for a new FO until its sendAfter', () => {
    const fo = newFo(2);
    expect(mergeSlotFor(fo, 'O1')).toEqual({
      key: mergeKeyOf(fo),
      foId: fo.id,
      openUntil: later(2000).toISOString(),
      claimedBy: 'O1',
    });
  });

  describe('an order finding the slot claimed', () => {
    const claimed = newFo(60);
    const slot = mergeSlotFor(claimed, 'O1');
    const decide = (over: Partial<Parameters<typeof decideOnClaimedSlot>[0]>) =>
      decideOnClaimedSlot({
        slot,
        claimed,
        now: later(1000),
        batchWindowSeconds: 60,
        waitedOut: false,
        ...over,
      });

    it('joins the claimed FO while it is new and inside its own window', () => {
      expect(decide({})).toEqual({ kind: 'join' });
      expect(decide({ waitedOut: true })).toEqual({ kind: 'join' });
    });

    it('takes the slot over when the FO was sent or its window closed', () => {
      expect(decide({ claimed: { ...claimed, state: 'in progress' } })).toEqual({ kind: 'claim' });
      expect(decide({ now: later(60_000) })).toEqual({ kind: 'claim' });
      // This order's own window decides, as in the plan.
      expect(decide({ batchWindowSeconds: 1 })).toEqual({ kind: 'claim' });
    });

    it('waits for a claimed FO not stored yet, then gives up with the reason', () => {
      expect(decide({ claimed: undefined })).toEqual({ kind: 'wait' });
      expect(decide({ claimed: undefined, waitedOut: true })).toEqual({
        kind: 'abandon',
        reason: `not merged: fulfillment order ${claimed.id}, claimed by order O1 to merge into, was never stored`,
      });
    });

    it('takes an expired slot whose FO never appeared over without waiting', () => {
      expect(decide({ claimed: undefined, now: later(60_000) })).toEqual({ kind: 'claim' });
    });
  });
});
