import { OUT_OF_BOX_EVENTS } from '../../../shared/domain/events/catalogue';
import { ENTITY_TYPES } from '../../../shared/domain/events/entity-type';
import {
  checkAggregationMapping,
  OUT_OF_BOX_AGGREGATIONS,
} from '../../../shared/domain/states/aggregate-line-event';
import { mergeConfig } from '../../../shared/domain/states/merge-config';
import {
  initialStateOf,
  OUT_OF_BOX_REASONS,
  OUT_OF_BOX_STATES,
  OUT_OF_BOX_TRANSITIONS,
  outOfBoxConfig,
} from '../../../shared/domain/states/out-of-box';

const EMPTY = { enabled: true, events: [], states: [], reasons: [], transitions: [] };

describe('out-of-box state configuration', () => {
  it('passes the same checks as custom rows (every reference resolves, no duplicate identities)', () => {
    // Fed as custom rows into an empty base, the seeds must merge cleanly (readOnly dropped: only
    // base rows may be read-only).
    const strip = <T extends { readOnly: boolean }>(rows: readonly T[]): Omit<T, 'readOnly'>[] =>
      rows.map(({ readOnly: _readOnly, ...rest }) => rest);
    expect(() =>
      mergeConfig(EMPTY, {
        events: OUT_OF_BOX_EVENTS,
        states: strip(OUT_OF_BOX_STATES),
        reasons: strip(OUT_OF_BOX_REASONS),
        transitions: strip(OUT_OF_BOX_TRANSITIONS),
      })
    ).not.toThrow();
  });

  it('covers all five entity types, each with its initial state defined', () => {
    for (const entityType of ENTITY_TYPES) {
      const states = OUT_OF_BOX_STATES.filter((s) => s.entityType === entityType).map((s) => s.name);
      expect(states).toContain(initialStateOf(entityType));
      expect(OUT_OF_BOX_TRANSITIONS.some((t) => t.entityType === entityType)).toBe(true);
    }
  });

  it('has the order states and reasons IOM shows', () => {
    const orderStates = OUT_OF_BOX_STATES.filter((s) => s.entityType === 'order');
    expect(orderStates.map((s) => [s.timelinePosition, s.name])).toEqual([
      [1, 'new'],
      [2, 'in progress'],
      [3, 'on hold'],
      [4, 'fulfillment in process'],
      [5, 'completed'],
      [6, 'cancelled'],
    ]);
    const reasons = OUT_OF_BOX_REASONS.filter((r) => r.entityType === 'order').map((r) => r.name);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'order validation succeeded',
        'order validation failed',
        'ready to be fulfilled',
        'sent to fulfillment',
        'picked',
        'packed',
        'fulfilled',
        'backorder hold',
        'preorder hold',
        'inventory not found',
        'cancelled',
      ])
    );
    const lineStates = OUT_OF_BOX_STATES.filter((s) => s.entityType === 'orderLine').map((s) => s.name);
    // IOM's line order: New → On Hold → In Progress → Fulfillment in Process.
    expect(lineStates.slice(0, 4)).toEqual(['new', 'on hold', 'in progress', 'fulfillment in process']);
  });

  it('marks every seeded row read-only', () => {
    const config = outOfBoxConfig();
    expect([...config.states, ...config.reasons, ...config.transitions].every((row) => row.readOnly)).toBe(
      true
    );
    expect(config.enabled).toBe(true);
  });

  it('has an aggregation mapping consistent with the states and events', () => {
    expect(checkAggregationMapping(outOfBoxConfig(), OUT_OF_BOX_AGGREGATIONS)).toEqual([]);
  });

  it('lets every aggregated header event apply from the states the header is normally in', () => {
    // The aggregated event must not be refused in the usual flow: lines all in fulfillment → header
    // in progress; lines all completed → header in fulfillment; lines all cancelled → header active.
    const transitions = outOfBoxConfig().transitions;
    const from = (entityType: string, event: string): string[] =>
      transitions.filter((t) => t.entityType === entityType && t.event === event).map((t) => t.sourceState);
    expect(from('order', 'Order Header Ready to be Fulfilled')).toEqual(
      expect.arrayContaining(['in progress', 'on hold'])
    );
    expect(from('order', 'Order Fulfilled')).toEqual(
      expect.arrayContaining(['fulfillment in process', 'completed'])
    );
    expect(from('order', 'Order Cancelled')).toEqual(expect.arrayContaining(['in progress', 'cancelled']));
    expect(from('fulfillmentOrder', 'Fulfillment Order Shipped')).toEqual(
      expect.arrayContaining(['in progress', 'fulfillment in process', 'completed'])
    );
  });
});
