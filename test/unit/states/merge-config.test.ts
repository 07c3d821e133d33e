import { ValidationError, type ValidationIssue } from '../../../shared/domain/errors';
import { applyEvent } from '../../../shared/domain/states/apply-event';
import { mergeConfig, type CustomStateFrameworkConfig } from '../../../shared/domain/states/merge-config';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';

const base = outOfBoxConfig();

function issuesOf(custom: CustomStateFrameworkConfig): ValidationIssue[] {
  try {
    mergeConfig(base, custom);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return [...(err as ValidationError).errors];
  }
  throw new Error('expected a ValidationError');
}

/** A custom "awaiting payment" step between validation and fulfillment. */
const awaitingPayment: CustomStateFrameworkConfig = {
  events: [
    { entityType: 'order', name: 'Payment Authorized', description: 'The PSP authorized the payment.' },
  ],
  states: [{ entityType: 'order', name: 'awaiting payment', timelinePosition: 2.5 }],
  reasons: [
    { entityType: 'order', state: 'awaiting payment', name: 'payment pending' },
    { entityType: 'order', state: 'in progress', name: 'payment authorized' },
  ],
  transitions: [
    {
      entityType: 'order',
      event: 'Validation of Order Header has Failed',
      sourceState: 'awaiting payment',
      targetState: 'on hold',
      targetReason: 'order validation failed',
    },
    {
      entityType: 'order',
      event: 'Payment Authorized',
      sourceState: 'awaiting payment',
      targetState: 'in progress',
      targetReason: 'payment authorized',
    },
    // An extra source for an out-of-box event: allowed, it is a new row.
    {
      entityType: 'order',
      event: 'Order Cancelled',
      sourceState: 'awaiting payment',
      targetState: 'cancelled',
      targetReason: 'cancelled',
    },
  ],
};

describe('mergeConfig', () => {
  it('adds custom events, states, reasons and transitions after the out-of-box rows', () => {
    const merged = mergeConfig(base, awaitingPayment);
    expect(merged.states).toHaveLength(base.states.length + 1);
    expect(merged.states.slice(0, base.states.length)).toEqual(base.states);
    expect(merged.states.at(-1)).toEqual({
      entityType: 'order',
      name: 'awaiting payment',
      readOnly: false,
      timelinePosition: 2.5,
    });
    expect(merged.transitions.filter((t) => !t.readOnly)).toHaveLength(3);
    expect(merged.enabled).toBe(true);

    expect(
      applyEvent(merged, {
        entityType: 'order',
        currentState: 'awaiting payment',
        event: 'Payment Authorized',
      })
    ).toEqual({ kind: 'transitioned', state: 'in progress', reason: 'payment authorized' });
    expect(
      applyEvent(merged, { entityType: 'order', currentState: 'awaiting payment', event: 'Order Cancelled' })
    ).toEqual({ kind: 'transitioned', state: 'cancelled', reason: 'cancelled' });
    // Out-of-box behaviour is untouched.
    expect(
      applyEvent(merged, { entityType: 'order', currentState: 'in progress', event: 'On Hand Check Failed' })
    ).toEqual({ kind: 'transitioned', state: 'on hold', reason: 'backorder hold' });
  });

  it('takes the enabled switch from the custom configuration', () => {
    expect(mergeConfig(base, { enabled: false }).enabled).toBe(false);
    expect(mergeConfig(base, {}).enabled).toBe(true);
  });

  it('lets a transition leave the reason out', () => {
    const merged = mergeConfig(base, {
      transitions: [
        {
          entityType: 'return',
          event: 'Return Cancelled',
          sourceState: 'received',
          targetState: 'cancelled',
        },
      ],
    });
    expect(
      applyEvent(merged, { entityType: 'return', currentState: 'received', event: 'Return Cancelled' })
    ).toEqual({
      kind: 'transitioned',
      state: 'cancelled',
      reason: null,
    });
  });

  describe('read-only protection', () => {
    it('refuses a change to an out-of-box transition, naming it', () => {
      const issues = issuesOf({
        transitions: [
          {
            entityType: 'order',
            event: 'On Hand Check Failed',
            sourceState: 'in progress',
            targetState: 'cancelled',
            targetReason: 'cancelled',
          },
        ],
      });
      expect(issues).toEqual([
        {
          path: '/transitions/0',
          message:
            "conflicts with the read-only out-of-box transition of order on 'On Hand Check Failed' from 'in progress'; out-of-box rows cannot be changed",
        },
      ]);
    });

    it('refuses a change to an out-of-box state, also when only the case differs', () => {
      const issues = issuesOf({
        states: [
          { entityType: 'order', name: 'on hold', timelinePosition: 9 },
          { entityType: 'order', name: 'On Hold', timelinePosition: 3 },
        ],
      });
      expect(issues.map((i) => i.path)).toEqual(['/states/0', '/states/1']);
      expect(issues[0]!.message).toContain("out-of-box state 'on hold' of order");
    });

    it('refuses deleting out-of-box rows of every kind, naming each', () => {
      const issues = issuesOf({
        deleted: [
          { kind: 'state', entityType: 'order', name: 'on hold' },
          { kind: 'reason', entityType: 'order', state: 'on hold', name: 'backorder hold' },
          { kind: 'transition', entityType: 'order', event: 'Order Cancelled', sourceState: 'new' },
          { kind: 'event', entityType: 'order', name: 'New Order' },
        ],
      });
      expect(issues).toEqual([
        {
          path: '/deleted/0',
          message: "the out-of-box state 'on hold' of order is read-only; it cannot be deleted",
        },
        {
          path: '/deleted/1',
          message:
            "the out-of-box reason 'backorder hold' of order state 'on hold' is read-only; it cannot be deleted",
        },
        {
          path: '/deleted/2',
          message:
            "the out-of-box transition of order on 'Order Cancelled' from 'new' is read-only; it cannot be deleted",
        },
        {
          path: '/deleted/3',
          message: "the out-of-box business event 'New Order' of order is read-only; it cannot be deleted",
        },
      ]);
    });

    it('ignores a custom row identical to an out-of-box one (re-imported tables)', () => {
      const onHold = base.states.find((s) => s.entityType === 'order' && s.name === 'on hold')!;
      const transition = base.transitions[0]!;
      const merged = mergeConfig(base, { states: [onHold], transitions: [transition] });
      expect(merged.states).toEqual(base.states);
      expect(merged.transitions).toEqual(base.transitions);
    });

    it('refuses a custom row claiming to be read-only', () => {
      expect(
        issuesOf({ states: [{ entityType: 'order', name: 'x', timelinePosition: 7, readOnly: true }] })
      ).toEqual([{ path: '/states/0/readOnly', message: 'only out-of-box rows are read-only' }]);
    });
  });

  describe('validation of custom rows', () => {
    it('reports unknown entity types, states, reasons and events with paths, all at once', () => {
      const issues = issuesOf({
        states: [{ entityType: 'invoice', name: 'paid', timelinePosition: 1 }],
        reasons: [{ entityType: 'order', state: 'onhold', name: 'fraud check' }],
        transitions: [
          { entityType: 'order', event: 'Order Canceled', sourceState: 'new', targetState: 'cancelled' },
          { entityType: 'order', event: 'Order Picked', sourceState: 'in progres', targetState: 'shipped' },
          {
            entityType: 'order',
            event: 'Order Picked',
            sourceState: 'on hold',
            targetState: 'fulfillment in process',
            targetReason: 'fraud',
          },
        ],
      });
      expect(issues.map((i) => i.path)).toEqual([
        '/states/0/entityType',
        '/reasons/0/state',
        '/transitions/0/event',
        '/transitions/1/sourceState',
        '/transitions/1/targetState',
        '/transitions/2/targetReason',
      ]);
      const [entityType, state, event, source, _target, reason] = issues.map((i) => i.message);
      expect(entityType).toContain("known entity types: 'order', 'orderLine'");
      expect(state).toMatch(/^unknown state 'onhold' for order; known states \(closest first\): 'on hold',/);
      expect(event).toMatch(
        /Unknown business event 'Order Canceled' .* \(closest first\): 'Order Cancelled',/
      );
      expect(source).toContain("(closest first): 'in progress'");
      expect(reason).toMatch(
        /unknown reason 'fraud' for order state 'fulfillment in process'; known reasons/
      );
    });

    it('reports malformed fields and duplicates', () => {
      const issues = issuesOf({
        enabled: 'yes' as unknown as boolean,
        events: [
          { entityType: 'order', name: ' Padded ' },
          { entityType: 'order', name: 'new order' },
        ],
        states: [
          { entityType: 'order', name: 'review', timelinePosition: -1 },
          { entityType: 'order', name: '', timelinePosition: 1 },
          { entityType: 'order', name: 'Review', timelinePosition: 2 },
        ],
      });
      expect(issues).toEqual([
        { path: '/enabled', message: 'must be true or false' },
        { path: '/events/0/name', message: 'must not start or end with spaces' },
        // Same CloudEvents type as the out-of-box `New Order`.
        expect.objectContaining({ path: '/events/1', message: expect.stringContaining("'New Order'") }),
        { path: '/states/0/timelinePosition', message: 'must be a finite number, 0 or more' },
        { path: '/states/1/name', message: 'must be a non-empty string' },
        { path: '/states/2', message: "repeats /states/0 (state 'Review' of order)" },
      ]);
    });

    it('checks a transition against custom states and events defined alongside it', () => {
      expect(() => mergeConfig(base, awaitingPayment)).not.toThrow();
      const withoutState = { ...awaitingPayment, states: [] };
      expect(issuesOf(withoutState).map((i) => i.path)).toEqual([
        '/reasons/0/state',
        '/transitions/0/sourceState',
        '/transitions/1/sourceState',
        '/transitions/2/sourceState',
      ]);
    });

    it('drops a deleted custom row, and the rows that needed it are then reported', () => {
      const issues = issuesOf({
        ...awaitingPayment,
        deleted: [
          { kind: 'event', entityType: 'order', name: 'Payment Authorized' },
          { kind: 'state', entityType: 'order', name: 'no such state' },
        ],
      });
      expect(issues).toEqual([
        expect.objectContaining({ path: '/transitions/1/event' }),
        { path: '/deleted/1', message: 'names no custom row' },
      ]);
    });
  });
});
