/** One line of an order's timeline: a raised event, a step result or an error, in order. */
export interface TimelineEntry {
  id: string;
  type: 'timeline';
  orderId: string;
  at: string;
  kind: 'event' | 'step' | 'error';
  name: string;
  entityType: string;
  entityId: string;
  fromState?: string;
  toState?: string;
  reason?: string;
  detail?: string;
}
