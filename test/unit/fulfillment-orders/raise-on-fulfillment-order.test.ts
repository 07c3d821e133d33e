import { raiseOnFulfillmentOrder } from '../../../shared/domain/fulfillment-orders/raise-on-fulfillment-order';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { TransitionNotAllowedError } from '../../../shared/domain/states/transition-not-allowed-error';
import { NOW, sentFo } from './fixtures';

const config = outOfBoxConfig();
const sent = 'Send Fulfillment Order to Fulfillment Provider has Succeeded';

function unsent() {
  const fo = sentFo('fo-1', [
    ['O1', '1', 'SKU-A', 2],
    ['O2', '1', 'SKU-B', 1],
  ]);
  return {
    ...fo,
    state: 'new',
    stateReason: undefined,
    lines: fo.lines.map((l) => ({ ...l, state: 'new', stateReason: undefined })),
  };
}

describe('raiseOnFulfillmentOrder', () => {
  it('moves the header and, when asked, every line, raising each on its orders', () => {
    const input = unsent();
    const r = raiseOnFulfillmentOrder(input, sent, config, NOW, { lines: true });
    expect(r).toMatchObject({ fromState: 'new', toState: 'in progress' });
    expect(r.fulfillmentOrder.lines.map((l) => l.state)).toEqual(['in progress', 'in progress']);
    expect(r.raised.map((e) => [e.entityType, e.entityId, e.orderIds, e.toState])).toEqual([
      ['fulfillmentOrder', 'fo-1', ['O1', 'O2'], 'in progress'],
      ['fulfillmentOrderLine', 'O1:1', ['O1'], 'in progress'],
      ['fulfillmentOrderLine', 'O2:1', ['O2'], 'in progress'],
    ]);
    expect(input.state).toBe('new');
  });

  it('leaves lines that are done alone', () => {
    const input = unsent();
    input.lines[1] = { ...input.lines[1]!, cancelled: 1, state: 'cancelled' };
    const r = raiseOnFulfillmentOrder(input, sent, config, NOW, { lines: true });
    expect(r.fulfillmentOrder.lines.map((l) => l.state)).toEqual(['in progress', 'cancelled']);
    expect(r.raised.map((e) => e.entityId)).toEqual(['fo-1', 'O1:1']);
  });

  it('leaves the state of an event without transitions for FOs, and refuses a transition from the wrong state', () => {
    const input = unsent();
    const header = raiseOnFulfillmentOrder(input, 'Creation of Fulfillment Order Succeeded', config, NOW);
    expect(header).toMatchObject({ fromState: 'new', toState: 'new' });
    expect(header.raised).toHaveLength(1);
    expect(() => raiseOnFulfillmentOrder(input, 'Fulfillment Order Picked', config, NOW)).toThrow(
      TransitionNotAllowedError
    );
  });
});
