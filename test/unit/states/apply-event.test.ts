import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import { applyEvent } from '../../../shared/domain/states/apply-event';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { TransitionNotAllowedError } from '../../../shared/domain/states/transition-not-allowed-error';

const config = outOfBoxConfig();

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('applyEvent', () => {
  it.each([
    ['order', 'in progress', 'On Hand Check Success', 'fulfillment in process', 'inventory check successful'],
    ['order', 'on hold', 'On Hand Check Success', 'fulfillment in process', 'inventory check successful'],
    ['order', 'in progress', 'On Hand Check Failed', 'on hold', 'backorder hold'],
    ['order', 'new', 'Validation of Order Header has Succeeded', 'in progress', 'order validation succeeded'],
    ['order', 'new', 'Validation of Order Header has Failed', 'on hold', 'order validation failed'],
    ['order', 'fulfillment in process', 'Order Fulfilled', 'completed', 'fulfilled'],
    ['orderLine', 'new', 'Preorder Hold Applied', 'on hold', 'preorder hold'],
    ['orderLine', 'on hold', 'Backorder Hold Released', 'in progress', 'backorder hold released'],
    ['fulfillmentOrder', 'in progress', 'Fulfillment Order Shipped', 'completed', 'shipped'],
    ['fulfillmentOrderLine', 'new', 'Fulfillment Order Line Picked', 'fulfillment in process', 'picked'],
    ['return', 'in progress', 'Return Received', 'received', 'received'],
  ] as const)('%s in %s on %s → %s (%s)', (entityType, currentState, event, state, reason) => {
    expect(applyEvent(config, { entityType, currentState, event })).toEqual({
      kind: 'transitioned',
      state,
      reason,
    });
  });

  it('leaves the state unchanged for an event with no transition for the entity type', () => {
    expect(applyEvent(config, { entityType: 'order', currentState: 'new', event: 'New Order' })).toEqual({
      kind: 'unchanged',
    });
    expect(
      applyEvent(config, {
        entityType: 'order',
        currentState: 'completed',
        event: 'Billing of order confirmed by billing provider',
      })
    ).toEqual({ kind: 'unchanged' });
  });

  it('refuses an event whose transitions do not start from the current state, naming event, state and sources', () => {
    const err = caught(() =>
      applyEvent(config, { entityType: 'order', currentState: 'completed', event: 'Order Cancelled' })
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toBeInstanceOf(TransitionNotAllowedError);
    const conflict = err as TransitionNotAllowedError;
    expect(conflict.code).toBe('transition-not-allowed');
    expect(conflict.message).toContain("'Order Cancelled'");
    expect(conflict.message).toContain("'completed'");
    for (const source of ['new', 'in progress', 'on hold', 'fulfillment in process', 'cancelled']) {
      expect(conflict.message).toContain(`'${source}'`);
    }
    expect(conflict.allowedSourceStates).toEqual([
      'new',
      'in progress',
      'on hold',
      'fulfillment in process',
      'cancelled',
    ]);
    expect(conflict).toMatchObject({
      entityType: 'order',
      event: 'Order Cancelled',
      currentState: 'completed',
    });
  });

  it('refuses IOM example sources it does not list (On Hand Check Failed from new)', () => {
    const err = caught(() =>
      applyEvent(config, { entityType: 'order', currentState: 'new', event: 'On Hand Check Failed' })
    ) as TransitionNotAllowedError;
    expect(err.message).toBe(
      "Business event 'On Hand Check Failed' is not allowed for order in state 'new'; it applies only in: 'in progress', 'on hold'."
    );
  });

  it('keeps the same event name apart per entity type', () => {
    // Return Received exists for returns only; an order line has no such event at all.
    expect(() =>
      applyEvent(config, { entityType: 'orderLine', currentState: 'new', event: 'Return Received' })
    ).toThrow(ValidationError);
  });

  it('rejects an event name that is not in the catalogue, even with the framework off', () => {
    for (const enabled of [true, false]) {
      const err = caught(() =>
        applyEvent(
          { ...config, enabled },
          { entityType: 'order', currentState: 'new', event: 'Order Canceled' }
        )
      ) as ValidationError;
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.code).toBe('unknown-business-event');
      expect(err.message).toMatch(/known events \(closest first\): 'Order Cancelled'/);
    }
  });

  describe('with the framework switched off', () => {
    const off = { ...config, enabled: false };

    it('never changes state, even where a transition exists', () => {
      expect(
        applyEvent(off, { entityType: 'order', currentState: 'in progress', event: 'On Hand Check Success' })
      ).toEqual({ kind: 'unchanged' });
    });

    it('never refuses either', () => {
      expect(
        applyEvent(off, { entityType: 'order', currentState: 'completed', event: 'Order Cancelled' })
      ).toEqual({
        kind: 'unchanged',
      });
    });
  });
});
