import { NotFoundError, PreconditionFailedError, ValidationError } from '../../domain/errors';
import { toCloudEvent } from '../../domain/events/cloud-event';
import type { EntityType } from '../../domain/events/entity-type';
import { raiseOnOrder } from '../../domain/orders/raise-on-order';
import type { TimelineEntry } from '../../domain/orders/timeline';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { BusinessEventRequest } from '../../schemas/business-event.schema';
import type { Clock } from '../../ports/clock';
import type { BusinessEventPublisher, IdGenerator, OrderRepository } from '../../ports/orders';
import { journeyEventSignals } from '../../domain/journeys/journey-signal';
import type { JourneySignals } from '../../ports/journey-signals';

export interface RaiseBusinessEventDeps {
  validate: (input: unknown) => BusinessEventRequest;
  orders: OrderRepository;
  publisher: BusinessEventPublisher;
  config: StateFrameworkConfig;
  ids: IdGenerator;
  clock: Clock;
  /** The order's journey hears the events raised on it from outside (a wait may end). */
  signals: JourneySignals;
}

export interface RaisedSummary {
  eventId: string;
  duplicate: boolean;
  timeline: Omit<TimelineEntry, 'id' | 'type'>[];
}

const attempts = 5;

/**
 * `POST /api/v1/events`: applies the event to its order or order line under the state framework,
 * stores the new state with the timeline entries in one batch (retrying when the order changed
 * meanwhile), then publishes the CloudEvents. Raising an event id again changes nothing.
 */
export async function raiseBusinessEvent(
  deps: RaiseBusinessEventDeps,
  body: unknown
): Promise<RaisedSummary> {
  const request = deps.validate(body);
  const entityType = request.entityType as EntityType;
  const orderId = entityType === 'order' ? request.entityId : request.orderId;
  if (orderId === undefined) {
    throw new ValidationError('The event names no order.', [
      { path: '/orderId', message: `is required for a ${entityType} event` },
    ]);
  }
  const eventId = request.id ?? deps.ids.newId();
  if (await deps.orders.hasTimelineEntry(orderId, `${orderId}:event:${eventId}`)) {
    return { eventId, duplicate: true, timeline: [] };
  }
  for (let attempt = 1; ; attempt++) {
    const current = await deps.orders.getForUpdate(orderId);
    if (!current) throw new NotFoundError(`No order ${orderId}.`);
    const outcome = raiseOnOrder(
      current.order,
      {
        id: eventId,
        name: request.name,
        entityType,
        entityId: request.entityId,
        ...(request.data ? { data: request.data } : {}),
      },
      deps.config,
      deps.clock.now()
    );
    try {
      const saved = await deps.orders.saveWithTimeline(outcome.order, current.etag, outcome.timeline);
      if (saved === 'duplicate') return { eventId, duplicate: true, timeline: [] };
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < attempts) continue;
      throw err;
    }
    await deps.publisher.publish(outcome.raised.map((event) => toCloudEvent(event)));
    await deps.signals.send(journeyEventSignals(outcome.order.journey, outcome.raised));
    return {
      eventId,
      duplicate: false,
      timeline: outcome.timeline.map(({ id: _id, type: _type, ...entry }) => entry),
    };
  }
}
