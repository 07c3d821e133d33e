import fc from 'fast-check';
import { isDomainError } from '../../../shared/domain/errors';
import {
  applyFulfillmentOrderEvent,
  fulfillmentOrderEventTypes,
  type FulfillmentOrderEvent,
} from '../../../shared/domain/fulfillment-orders/apply-fulfillment-order-event';
import type { FulfillmentOrder } from '../../../shared/domain/fulfillment-orders/fulfillment-order';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { NOW, sentFo } from './fixtures';

const config = outOfBoxConfig();

const eventArb: fc.Arbitrary<FulfillmentOrderEvent> = fc.record({
  id: fc.option(fc.constantFrom('e1', 'e2', 'e3', 'e4'), { nil: undefined }),
  type: fc.constantFrom(...fulfillmentOrderEventTypes),
  lines: fc.option(
    fc.array(
      fc.record({
        lineId: fc.constantFrom('1', '2', '3'),
        quantity: fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 2 }
    ),
    { nil: undefined }
  ),
  tracking: fc.constant({ carrier: 'DHL', number: 'X' }),
});

describe('FO invariants over any sequence of status events', () => {
  it('quantities stay within bounds, shipments add up, refusals change nothing, ids apply once', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), (events) => {
        let fo: FulfillmentOrder = sentFo('fo', [
          ['O1', '1', 'A', 3],
          ['O1', '2', 'B', 1],
        ]);
        for (const event of events) {
          const before = structuredClone(fo);
          try {
            const r = applyFulfillmentOrderEvent(fo, event, config, NOW);
            if (event.id !== undefined && before.appliedEventIds.includes(event.id)) {
              expect(r.duplicate).toBe(true);
              expect(r.fulfillmentOrder).toEqual(before);
            }
            fo = r.fulfillmentOrder;
          } catch (err) {
            expect(isDomainError(err)).toBe(true);
            expect(fo).toEqual(before);
          }
          for (const line of fo.lines) {
            expect(line.shipped + line.cancelled).toBeLessThanOrEqual(line.quantity);
            expect(line.delivered).toBeLessThanOrEqual(line.shipped);
            expect(line.picked).toBeLessThanOrEqual(line.quantity);
            expect(line.packed).toBeLessThanOrEqual(line.quantity);
            const inShipments = fo.shipments
              .flatMap((s) => s.lines)
              .filter((l) => l.lineId === line.lineId)
              .reduce((sum, l) => sum + l.quantity, 0);
            expect(inShipments).toBe(line.shipped);
            const closed = line.shipped + line.cancelled === line.quantity;
            if (closed) expect(line.state).toBe(line.shipped > 0 ? 'completed' : 'cancelled');
            else expect(['in progress', 'fulfillment in process']).toContain(line.state);
          }
          const counted = fo.lines.filter((l) => l.state !== 'cancelled');
          if (counted.length === 0) expect(fo.state).toBe('cancelled');
          else if (counted.every((l) => l.state === 'completed')) expect(fo.state).toBe('completed');
          else expect(['in progress', 'fulfillment in process']).toContain(fo.state);
        }
      }),
      { numRuns: 300, seed: 13 }
    );
  });
});
