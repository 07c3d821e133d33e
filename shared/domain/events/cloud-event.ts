import type { RaisedBusinessEvent } from './business-event';
import type { EntityType } from './entity-type';

/**
 * CloudEvents 1.0 (structured JSON mode) envelope for a raised business event, as published to the
 * `business-events` topic (docs/state-framework.md). Building it is pure; the publishing adapter only serializes.
 */
export interface BusinessCloudEvent {
  specversion: '1.0';
  /** `openiom.<entityType>.<kebab-name>`, e.g. `openiom.order.new-order`: subscribers filter on it. */
  type: string;
  /** The order the event belongs to, e.g. `/openiom/orders/ORD-1`. */
  source: string;
  /** The raised event's id, so a redelivered message dedupes on `source` + `id`. */
  id: string;
  time: string;
  /** The entity within the order, e.g. `fulfillmentOrder/FO-7`. */
  subject: string;
  datacontenttype: 'application/json';
  data: BusinessCloudEventData;
}

/**
 * The payload repeats the identifying fields so a consumer that only reads `data` (e.g. a Logic App
 * step) does not have to parse `type` and `subject`.
 */
export interface BusinessCloudEventData {
  name: string;
  /** An entity type of the state framework, or `alert` (alerts' own events, docs/alerts.md). */
  entityType: EntityType | 'alert';
  entityId: string;
  /** Absent only on an alert's event about no single order (an error list). */
  orderId?: string;
  data?: Readonly<Record<string, unknown>>;
}

export interface CloudEventOptions {
  /** Prefix of `source`; defaults to `/openiom`. A deployment may use its own URI. */
  sourcePrefix?: string;
}

export const CLOUD_EVENT_TYPE_PREFIX = 'openiom';

export function toCloudEvent(
  event: RaisedBusinessEvent,
  options: CloudEventOptions = {}
): BusinessCloudEvent {
  const prefix = (options.sourcePrefix ?? '/openiom').replace(/\/+$/, '');
  return {
    specversion: '1.0',
    type: cloudEventType(event.entityType, event.name),
    source: `${prefix}/orders/${encodeURIComponent(event.orderId)}`,
    id: event.id,
    time: event.occurredAt,
    subject: `${event.entityType}/${encodeURIComponent(event.entityId)}`,
    datacontenttype: 'application/json',
    data: {
      name: event.name,
      entityType: event.entityType,
      entityId: event.entityId,
      orderId: event.orderId,
      ...(event.data === undefined ? {} : { data: event.data }),
    },
  };
}

export function cloudEventType(entityType: EntityType, eventName: string): string {
  return `${CLOUD_EVENT_TYPE_PREFIX}.${entityType}.${kebabEventName(eventName)}`;
}

/** `Validation of Order Header has Succeeded` → `validation-of-order-header-has-succeeded`. */
export function kebabEventName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
