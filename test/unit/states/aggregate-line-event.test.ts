import { ValidationError } from '../../../shared/domain/errors';
import {
  aggregateLineEvent,
  checkAggregationMapping,
  type AggregationRule,
  type LineStatus,
} from '../../../shared/domain/states/aggregate-line-event';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';

const FIP = 'fulfillment in process';

function lines(...states: string[]): LineStatus[] {
  return states.map((state, index) => ({ lineId: String(index + 1), state }));
}

/** Line `lineId` just moved from `previousState` by `name`. */
function moved(lineId: string, previousState: string, name = 'On Hand Check Success') {
  return { entityType: 'orderLine' as const, lineId, name, previousState };
}

describe('aggregateLineEvent (out-of-box mapping)', () => {
  it('raises the order event when the last line reaches the state', () => {
    expect(aggregateLineEvent(lines(FIP, FIP, FIP), moved('3', 'in progress'))).toEqual({
      entityType: 'order',
      name: 'Order Header Ready to be Fulfilled',
      lineState: FIP,
      causedBy: { entityType: 'orderLine', lineId: '3', name: 'On Hand Check Success' },
    });
  });

  it.each([
    ['in progress', 'Validation of Order Lines has Succeeded', 'new'],
    ['completed', 'Order Fulfilled', FIP],
    ['cancelled', 'Order Cancelled', 'in progress'],
  ])('all lines %s → %s', (state, event, previous) => {
    expect(aggregateLineEvent(lines(state, state), moved('2', previous))?.name).toBe(event);
  });

  it('raises nothing while the lines are mixed', () => {
    expect(aggregateLineEvent(lines(FIP, 'on hold', FIP), moved('3', 'in progress'))).toBeNull();
    expect(aggregateLineEvent(lines('completed', FIP), moved('1', FIP, 'Order Line Fulfilled'))).toBeNull();
  });

  it('raises nothing for a state without a rule (on hold)', () => {
    expect(
      aggregateLineEvent(lines('on hold', 'on hold'), moved('2', 'in progress', 'On Hand Check Failed'))
    ).toBeNull();
  });

  it('raises nothing when the line did not really move (self-transition)', () => {
    expect(aggregateLineEvent(lines(FIP, FIP), moved('2', FIP, 'Order Line Sent to Fulfillment'))).toBeNull();
  });

  it('works for a single-line order', () => {
    expect(aggregateLineEvent(lines('completed'), moved('1', FIP))?.name).toBe('Order Fulfilled');
  });

  describe('cancelled lines do not count', () => {
    it('an order with completed and cancelled lines is fulfilled when the last counted line completes', () => {
      expect(aggregateLineEvent(lines('completed', 'cancelled', 'completed'), moved('3', FIP))?.name).toBe(
        'Order Fulfilled'
      );
    });

    it('cancelling the last outstanding line completes the others', () => {
      expect(
        aggregateLineEvent(
          lines('completed', 'completed', 'cancelled'),
          moved('3', FIP, 'Order Line Cancelled')
        )?.name
      ).toBe('Order Fulfilled');
    });

    it('cancelling a line after the rule already held raises nothing again', () => {
      expect(
        aggregateLineEvent(lines(FIP, FIP, 'cancelled'), moved('3', FIP, 'Order Line Cancelled'))
      ).toBeNull();
    });

    it('an order whose lines are all cancelled is cancelled, not fulfilled', () => {
      expect(
        aggregateLineEvent(lines('cancelled', 'cancelled'), moved('2', 'completed', 'Order Line Cancelled'))
          ?.name
      ).toBe('Order Cancelled');
    });
  });

  it('aggregates fulfillment order lines onto the fulfillment order', () => {
    const result = aggregateLineEvent(lines('completed', 'completed'), {
      entityType: 'fulfillmentOrderLine',
      lineId: '1',
      name: 'Fulfillment Order Line Shipped',
      previousState: 'fulfillment in process',
    });
    expect(result).toMatchObject({ entityType: 'fulfillmentOrder', name: 'Fulfillment Order Shipped' });
  });

  it('rejects a moved line that is not among the lines, and repeated line ids', () => {
    expect(() => aggregateLineEvent(lines(FIP), moved('9', 'in progress'))).toThrow(ValidationError);
    expect(() =>
      aggregateLineEvent(
        [
          { lineId: '1', state: FIP },
          { lineId: '1', state: FIP },
        ],
        moved('1', 'in progress')
      )
    ).toThrow(ValidationError);
  });

  it('takes a custom mapping', () => {
    const mapping: AggregationRule[] = [
      {
        lineEntityType: 'orderLine',
        lineState: 'on hold',
        ignoredLineStates: ['cancelled', 'completed'],
        headerEntityType: 'order',
        headerEvent: 'Backorder Hold Applied',
      },
    ];
    expect(checkAggregationMapping(outOfBoxConfig(), mapping)).toEqual([]);
    expect(aggregateLineEvent(lines('on hold', 'completed'), moved('1', 'in progress'), mapping)?.name).toBe(
      'Backorder Hold Applied'
    );
  });

  it('finds what is wrong with a mapping', () => {
    const issues = checkAggregationMapping(outOfBoxConfig(), [
      {
        lineEntityType: 'orderLine',
        lineState: 'shipped',
        ignoredLineStates: [],
        headerEntityType: 'fulfillmentOrder',
        headerEvent: 'Order Fulfilled',
      },
      {
        lineEntityType: 'orderLine',
        lineState: 'shipped',
        ignoredLineStates: [],
        headerEntityType: 'order',
        headerEvent: 'Order Fulfilled',
      },
    ]);
    expect(issues.map((i) => i.path)).toEqual([
      '/0/headerEntityType',
      '/0/lineState',
      '/0/headerEvent',
      '/1/lineState',
      '/1',
    ]);
  });
});
