import type { EntityType } from './entity-type';

/**
 * A named business event in the catalogue. A name is unique per entity type only: `On Hand Check
 * Success` exists for an order and for an order line, and they are different events.
 */
export interface BusinessEventDefinition {
  name: string;
  entityType: EntityType;
  description: string;
}

/** One occurrence of a business event, as written to the timeline and published. */
export interface RaisedBusinessEvent {
  /** Unique per occurrence (a ULID from the caller): the CloudEvents `id` and the dedupe key. */
  id: string;
  name: string;
  entityType: EntityType;
  entityId: string;
  /** The order the entity belongs to: the partition every timeline entry lives in. */
  orderId: string;
  /** RFC 3339 timestamp from the clock port. */
  occurredAt: string;
  data?: Readonly<Record<string, unknown>>;
}
