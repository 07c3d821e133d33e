/**
 * The entity types business events and states belong to (docs/state-framework.md). Lines are entity types of their
 * own because each line carries its own state, and the header state is derived from them by
 * aggregated events.
 */
export const ENTITY_TYPES = [
  'order',
  'orderLine',
  'fulfillmentOrder',
  'fulfillmentOrderLine',
  'return',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

export function isEntityType(value: unknown): value is EntityType {
  return typeof value === 'string' && (ENTITY_TYPES as readonly string[]).includes(value);
}
