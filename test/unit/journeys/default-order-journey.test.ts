import { drawJourney } from '../../../shared/domain/journeys/draw-journey';
import { isJourneyEnded, type JourneyCommand } from '../../../shared/domain/journeys/interpret-journey';
import { journeyInstanceId } from '../../../shared/domain/journeys/journey-instance-id';
import { condition, Driver, exit, INSTANCE, journeyOf, step } from './interpreter-fixtures';

/** The default order journey, as the seed will draw it (names are this test's own). */
const defaultOrderJourney = journeyOf([
  step('Validate header', ['New Order'], { action: 'validateOrderHeader', successEvent: 'Header Valid' }),
  step('Validate lines', ['Header Valid'], { action: 'validateOrderLines', successEvent: 'Lines Valid' }),
  step('Optimize', ['Lines Valid'], { action: 'sendToFulfillmentOptimization', successEvent: 'Optimized' }),
  step('Reserve', ['Optimized'], { action: 'softReserveInventory', successEvent: 'Reserved' }),
  step('Create fulfillment orders', ['Reserved'], {
    action: 'sendFulfillmentProcessRequest',
    successEvent: 'Fulfillment Orders Created',
  }),
  step('Send to fulfillment', ['Fulfillment Orders Created'], {
    action: 'sendToFulfillment',
    successEvent: 'Shipped',
    wait: { event: 'Order Shipped', timeoutSeconds: 7 * 24 * 3600 },
  }),
  step('Shipment email', ['Shipped'], { action: 'sendEmail', successEvent: 'Customer Notified' }),
  exit('Complete', ['Customer Notified']),
]);

describe('the default order journey', () => {
  it('runs step by step to its exit, with one wait for the shipment', () => {
    const d = new Driver(defaultOrderJourney);
    for (const node of [
      'Validate header',
      'Validate lines',
      'Optimize',
      'Reserve',
      'Create fulfillment orders',
    ]) {
      d.succeed(node);
    }
    const runId = d.runOf('Send to fulfillment');
    expect(d.succeed('Send to fulfillment')).toEqual([
      {
        type: 'wait',
        runId,
        node: 'Send to fulfillment',
        event: 'Order Shipped',
        deadline: '2026-12-09T02:00:00.000Z',
      },
    ]);
    expect(d.state.status).toBe('waiting');
    d.send({ type: 'eventArrived', runId, event: 'Order Shipped' });
    d.succeed('Send to fulfillment'); // the raise of Shipped
    expect(d.succeed('Shipment email')).toEqual([{ type: 'complete', exit: 'Complete' }]);
    expect(isJourneyEnded(d.state)).toBe(true);
    expect(d.commands.map((c: JourneyCommand) => ('node' in c ? `${c.type} ${c.node}` : c.type))).toEqual([
      'run Validate header',
      'run Validate lines',
      'run Optimize',
      'run Reserve',
      'run Create fulfillment orders',
      'run Send to fulfillment',
      'wait Send to fulfillment',
      'raise Send to fulfillment',
      'run Shipment email',
      'complete',
    ]);
    expect(d.state.sequence).toBe(8);
  });

  it('is drawn as a chain from New Order to Complete', () => {
    const lines = drawJourney(defaultOrderJourney).split('\n');
    expect(lines).toContain('  start -->|"New Order"| n0');
    expect(lines).toContain('  n5["Send to fulfillment<br/>sendToFulfillment, waits for Order Shipped"]');
    expect(lines).toContain('  n6 -->|"Customer Notified"| n7');
    expect(lines.filter((l) => l.includes('-->'))).toHaveLength(8);
  });
});

describe('smaller rules', () => {
  it('a wait step without success event ends its branch when the event arrives', () => {
    const d = new Driver(
      journeyOf([
        step('ship', ['New Order'], { wait: { event: 'Shipment', timeoutSeconds: 1 } }),
        step('other', ['New Order']),
      ])
    );
    const runId = d.runOf('ship');
    expect(d.succeed('ship')).toEqual([
      expect.objectContaining({ type: 'wait', deadline: '2026-12-02T02:00:01.000Z' }),
    ]);
    expect(d.send({ type: 'eventArrived', runId, event: 'Shipment' })).toEqual([]);
    expect(d.state).toMatchObject({ status: 'running', waiting: [], pending: [] });
    expect(d.succeed('other')).toEqual([{ type: 'complete', exit: null }]);
  });

  it('a skipped condition is a failure: it reported no event', () => {
    const d = new Driver(journeyOf([condition('c', 'New Order', 'Y', 'N')]));
    expect(d.send({ type: 'skipped', runId: d.runOf('c') })).toEqual([
      expect.objectContaining({ type: 'fail', node: 'c' }),
    ]);
  });

  it('an instance id names the entity type, the entity and the journey', () => {
    expect(journeyInstanceId('order', 'o-1', 'j-1')).toBe(INSTANCE);
    expect(journeyInstanceId('fulfillmentOrder', 'fo-9', 'j-2')).toBe('fulfillmentOrder:fo-9:j-2');
  });

  it('a deadline needs an ISO now', () => {
    const d = new Driver(
      journeyOf([step('ship', ['New Order'], { wait: { event: 'S', timeoutSeconds: 1 } })])
    );
    expect(() => d.send({ type: 'succeeded', runId: d.runOf('ship') }, 'yesterday')).toThrow(/ISO instant/);
  });
});
