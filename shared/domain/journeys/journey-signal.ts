import type { RaisedBusinessEvent } from '../events/business-event';
import type { JourneyType } from './journey';

/** The journey instance an entity runs on: its instance id and the journey version it started with. */
export interface JourneyRef {
  instanceId: string;
  journeyId: string;
  version: number;
}

/**
 * What reaches a journey instance from outside its orchestration: a start (idempotent by instance id),
 * or a business event raised on the instance's entity by something other than the journey's own
 * steps (a warehouse status event, a released hold, `POST /api/v1/events`), which may end a wait.
 */
export type JourneySignal =
  | {
      kind: 'start';
      journey: JourneyRef;
      type: JourneyType;
      /** The entity the instance runs on: an order id, a fulfillment order id, a return id. */
      entityId: string;
      /** The order whose partition holds the entity (the entity itself for an order). */
      orderId: string;
      /** The W3C trace context the instance's steps continue (docs/telemetry.md). */
      traceparent?: string;
    }
  | { kind: 'event'; instanceId: string; event: string; eventId: string };

/**
 * The event signals for business events raised on an entity from outside its journey: one per
 * header event (order, fulfillment order, return), to the entity's instance; none when the entity
 * runs no journey.
 */
export function journeyEventSignals(
  journey: JourneyRef | undefined,
  raised: readonly Pick<RaisedBusinessEvent, 'id' | 'name' | 'entityType'>[]
): JourneySignal[] {
  if (journey === undefined) return [];
  // A wait is for an event on the instance's own entity; line events only matter through the header
  // events they aggregate to, and each signal wakes the orchestration once.
  return raised
    .filter((event) => headerEntityTypes.has(event.entityType))
    .map((event) => ({
      kind: 'event',
      instanceId: journey.instanceId,
      event: event.name,
      eventId: event.id,
    }));
}

const headerEntityTypes = new Set<string>(['order', 'fulfillmentOrder', 'return']);
