import type { Journey, JourneyNode } from '../../../shared/domain/journeys/journey';
import type { JourneyPolicies } from '../../../shared/domain/journeys/validate-journey';

/** A valid order journey: validate header → (US?) → reserve → email → done. */
export function orderJourney(steps: JourneyNode[] = defaultSteps()): Journey {
  return {
    id: 'j-1',
    name: 'Orders',
    type: 'order',
    startEvent: 'New Order',
    steps,
    version: 1,
    status: 'draft',
  };
}

export function defaultSteps(): JourneyNode[] {
  return [
    {
      kind: 'step',
      name: 'Validate header',
      action: 'validateOrderHeader',
      inputEvents: ['New Order'],
      executionPolicyIds: ['header-rules'],
      successEvent: 'Header ok',
    },
    {
      kind: 'condition',
      name: 'US?',
      inputEvents: ['Header ok'],
      filterPolicyId: 'us-only',
      trueEvent: 'Is US',
      falseEvent: 'Not US',
    },
    {
      kind: 'step',
      name: 'Reserve',
      action: 'softReserveInventory',
      inputEvents: ['Is US'],
      successEvent: 'Reserved',
    },
    {
      kind: 'step',
      name: 'Mail',
      action: 'sendEmail',
      emailTemplateId: 'shipped',
      inputEvents: ['Reserved', 'Order Shipped'],
      wait: { event: 'Order Shipped', timeoutSeconds: 60 },
      successEvent: 'Mailed',
    },
    { kind: 'exit', name: 'Done', inputEvents: ['Mailed', 'Not US'] },
  ];
}

export const policies: JourneyPolicies = new Map([
  ['header-rules', { status: 'published', kind: 'execution', entityType: 'order' }],
  ['us-only', { status: 'published', kind: 'filter', entityType: 'order' }],
  ['line-rules', { status: 'published', kind: 'execution', entityType: 'orderLine' }],
  ['fo-filter', { status: 'published', kind: 'filter', entityType: 'fulfillmentOrder' }],
  ['draft-filter', { status: 'draft', kind: 'filter', entityType: 'order' }],
]);
