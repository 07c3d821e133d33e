import type { JourneyNode } from '../../../shared/domain/journeys/journey';
import { journeyIssues, systemEventsOf } from '../../../shared/domain/journeys/validate-journey';
import { defaultSteps, orderJourney, policies } from './journey-fixtures';

/** The default steps with node `i` changed. */
function withNode(i: number, change: (node: JourneyNode) => JourneyNode): JourneyNode[] {
  return defaultSteps().map((node, j) => (j === i ? change(node) : node));
}

const issuesOf = (steps: JourneyNode[], type: 'order' | 'fulfillmentOrder' | 'return' = 'order') =>
  journeyIssues(
    { ...orderJourney(steps), type, startEvent: type === 'return' ? 'Return Created' : 'New Order' },
    policies
  );

describe('journey validation at publish', () => {
  it("refuses a provider action whose instance is missing, inactive or lacks the action, at the step's providerAction", () => {
    const instances = new Map([
      ['tax', { active: true, provider: 'Avalara AvaTax', actions: ['calculateTax', 'commitTax'] }],
      ['old-tax', { active: false, provider: 'Avalara AvaTax', actions: ['calculateTax'] }],
    ]);
    const naming = (instanceId: string, action: string) =>
      journeyIssues(
        orderJourney(withNode(2, (n) => ({ ...n, providerAction: { instanceId, action } }) as JourneyNode)),
        policies,
        instances
      );
    expect(naming('tax', 'calculateTax')).toEqual([]);
    expect(naming('nope', 'calculateTax')).toEqual([
      { path: '/steps/2/providerAction', message: '"Reserve": provider instance nope does not exist' },
    ]);
    expect(naming('old-tax', 'calculateTax')[0]!.message).toBe(
      '"Reserve": provider instance old-tax is not active'
    );
    expect(naming('tax', 'voidAll')[0]!.message).toBe(
      '"Reserve": provider instance tax (Avalara AvaTax) has no action voidAll; it has calculateTax, commitTax'
    );
  });

  it('accepts a valid journey', () => {
    expect(issuesOf(defaultSteps())).toEqual([]);
  });

  it('refuses a duplicate name, at the later node', () => {
    const issues = issuesOf(withNode(2, (n) => ({ ...n, name: 'Validate header' })));
    expect(issues).toEqual([
      {
        path: '/steps/2/name',
        message: '"Validate header": the name is used by /steps/0 too; names must be unique',
      },
    ]);
  });

  it('refuses an unknown action', () => {
    const issues = issuesOf(withNode(2, (n) => ({ ...n, action: 'teleport' }) as unknown as JourneyNode));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '/steps/2/action' });
    expect(issues[0]!.message).toMatch(/^"Reserve": unknown action "teleport"/);
  });

  it('refuses an action that does not fit the journey type', () => {
    const steps: JourneyNode[] = [
      { kind: 'step', name: 'Check', action: 'validateOrderHeader', inputEvents: ['Return Created'] },
    ];
    const issues = issuesOf(steps, 'return');
    expect(issues).toEqual([
      {
        path: '/steps/0/action',
        message: expect.stringMatching(
          /^"Check": action validateOrderHeader does not run in a return journey/
        ),
      },
    ]);
  });

  it('refuses an input event nobody raises, naming the event', () => {
    const issues = issuesOf(withNode(2, (n) => ({ ...n, inputEvents: ['Is Canada'] })));
    // Reserve never runs, so Mail listens only to "Order Shipped" (a system event): still reachable.
    expect(issues).toEqual([
      {
        path: '/steps/2/inputEvents/0',
        message: expect.stringMatching(/^"Reserve": input event "Is Canada" is raised by no other node/),
      },
    ]);
  });

  it('accepts input events the system raises for the journey entity types, not for others', () => {
    expect(systemEventsOf('order').has('Backorder Hold Released')).toBe(true);
    expect(systemEventsOf('order').has('Order Line Fulfilled')).toBe(true);
    expect(systemEventsOf('order').has('Fulfillment Order Shipped')).toBe(false);
    const lineEvent = withNode(2, (n) => ({ ...n, inputEvents: ['Is US', 'Order Line Cancelled'] }));
    expect(issuesOf(lineEvent)).toEqual([]);
    const foEvent = withNode(2, (n) => ({ ...n, inputEvents: ['Is US', 'Fulfillment Order Shipped'] }));
    expect(issuesOf(foEvent).map((i) => i.path)).toEqual(['/steps/2/inputEvents/1']);
  });

  it('does not count a node raising its own input event', () => {
    const steps = withNode(2, (n) => ({ ...n, inputEvents: ['Loop'], successEvent: 'Loop' }));
    // Mail's "Reserved" is now raised by nobody either.
    expect(issuesOf(steps).map((i) => i.path)).toEqual(['/steps/2/inputEvents/0', '/steps/3/inputEvents/0']);
  });

  it('refuses unreachable nodes: a cycle cut off from the start', () => {
    const steps: JourneyNode[] = [
      ...defaultSteps(),
      { kind: 'step', name: 'Ping', action: 'custom', inputEvents: ['Pong'], successEvent: 'Ping' },
      { kind: 'step', name: 'Pong', action: 'custom', inputEvents: ['Ping'], successEvent: 'Pong' },
    ];
    expect(issuesOf(steps)).toEqual([
      { path: '/steps/5', message: expect.stringMatching(/^"Ping": is unreachable/) },
      { path: '/steps/6', message: expect.stringMatching(/^"Pong": is unreachable/) },
    ]);
  });

  it('refuses a node without input events, once', () => {
    const issues = issuesOf(withNode(4, (n) => ({ ...n, inputEvents: [] })));
    expect(issues).toEqual([
      { path: '/steps/4/inputEvents', message: '"Done": has no input events, so it never runs' },
    ]);
  });

  it('refuses a sendEmail step without template and a wait under 1 s', () => {
    const issues = issuesOf(
      withNode(3, (n) => {
        const { emailTemplateId: _template, ...rest } = n as Extract<JourneyNode, { kind: 'step' }>;
        return { ...rest, wait: { event: 'Order Shipped', timeoutSeconds: 0.5 } };
      })
    );
    expect(issues).toEqual([
      { path: '/steps/3/emailTemplateId', message: '"Mail": a sendEmail step needs emailTemplateId' },
      {
        path: '/steps/3/wait/timeoutSeconds',
        message: `"Mail": the wait's timeout must be at least 1 second`,
      },
    ]);
  });

  it.each([
    ['missing', 'nope', /^"US\?": policy nope does not exist/],
    ['not published', 'draft-filter', /^"US\?": policy draft-filter is not published \(it is draft\)/],
    ['of the wrong kind', 'header-rules', /^"US\?": policy header-rules is a execution policy/],
    ['about another entity type', 'fo-filter', /^"US\?": policy fo-filter is about fulfillmentOrder/],
  ])('refuses a condition policy %s', (_case, policyId, message) => {
    const issues = issuesOf(withNode(1, (n) => ({ ...n, filterPolicyId: policyId })));
    expect(issues).toEqual([{ path: '/steps/1/filterPolicyId', message: expect.stringMatching(message) }]);
  });

  it('checks execution policies and splitter branches; order journeys take order line policies', () => {
    const steps: JourneyNode[] = [
      { ...defaultSteps()[0]!, executionPolicyIds: ['line-rules', 'gone'] } as JourneyNode,
      {
        kind: 'splitter',
        name: 'Split',
        inputEvents: ['Header ok'],
        branches: [{ event: 'Is US', filterPolicyId: 'fo-filter' }, { event: 'Not US' }],
      },
      ...defaultSteps().slice(2),
    ];
    expect(issuesOf(steps)).toEqual([
      { path: '/steps/0/executionPolicyIds/1', message: '"Validate header": policy gone does not exist' },
      {
        path: '/steps/1/branches/0/filterPolicyId',
        message: expect.stringMatching(/^"Split": policy fo-filter/),
      },
    ]);
  });

  it('refuses any policy in a return journey', () => {
    const steps: JourneyNode[] = [
      {
        kind: 'step',
        name: 'Note',
        action: 'custom',
        inputEvents: ['Return Created'],
        filterPolicyId: 'us-only',
      },
    ];
    expect(issuesOf(steps, 'return')).toEqual([
      {
        path: '/steps/0/filterPolicyId',
        message: expect.stringMatching(/^"Note": .*return journey cannot reference/),
      },
    ]);
  });

  it('refuses a journey where no node listens to the start event', () => {
    const steps = withNode(0, (n) => ({ ...n, inputEvents: ['Backorder Hold Released'] }));
    expect(issuesOf(steps)).toEqual([
      {
        path: '/startEvent',
        message: 'no node listens to the start event "New Order", so the journey does nothing',
      },
    ]);
  });

  it('lists every issue, ordered by node', () => {
    const steps = withNode(4, (n) => ({ ...n, name: 'Validate header', inputEvents: ['Nobody'] }));
    steps[1] = { ...steps[1]!, filterPolicyId: 'nope' } as JourneyNode;
    expect(issuesOf(steps).map((i) => i.path)).toEqual([
      '/steps/1/filterPolicyId',
      '/steps/4/name',
      '/steps/4/inputEvents/0',
    ]);
  });
});
