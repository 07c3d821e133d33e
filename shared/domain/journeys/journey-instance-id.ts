import type { JourneyType } from './journey';

/**
 * The Durable instance id of the journey `journeyId` on one entity: `order:{orderId}:{journeyId}` for
 * an order, `fulfillmentOrder:{id}:{journeyId}` and `return:{id}:{journeyId}` likewise.
 * One entity runs a journey once, so starting it twice finds the same instance (an idempotent start).
 * The interpreter's run ids start with it, so they are unique across instances too.
 */
export function journeyInstanceId(type: JourneyType, entityId: string, journeyId: string): string {
  return `${type}:${entityId}:${journeyId}`;
}
