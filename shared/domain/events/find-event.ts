import { ValidationError } from '../errors';
import type { BusinessEventDefinition } from './business-event';
import { OUT_OF_BOX_EVENTS } from './catalogue';
import { byCloseness, quoteList } from './closest-matches';
import { ENTITY_TYPES, isEntityType, type EntityType } from './entity-type';

/** The catalogue's events for one entity type, in catalogue order. */
export function eventsFor(
  entityType: EntityType,
  catalogue: readonly BusinessEventDefinition[] = OUT_OF_BOX_EVENTS
): BusinessEventDefinition[] {
  return catalogue.filter((event) => event.entityType === entityType);
}

/**
 * The event named `name` for `entityType`. Names match exactly (they are identifiers journeys refer
 * to); a miss is a ValidationError listing the entity type's events, closest first, so a typo or a
 * wrong casing is obvious from the message alone.
 */
export function findEvent(
  name: string,
  entityType: EntityType,
  catalogue: readonly BusinessEventDefinition[] = OUT_OF_BOX_EVENTS
): BusinessEventDefinition {
  if (!isEntityType(entityType)) {
    const message = unknownEntityTypeMessage(entityType);
    throw new ValidationError(message, [{ path: '/entityType', message }]);
  }
  const found = catalogue.find((event) => event.entityType === entityType && event.name === name);
  if (found !== undefined) return found;
  const message = unknownEventMessage(name, entityType, catalogue);
  throw new ValidationError(message, [{ path: '/name', message }], { code: 'unknown-business-event' });
}

/** Whether the catalogue (or a state framework's events) has `name` for `entityType`. */
export function hasEvent(
  name: string,
  entityType: string,
  catalogue: readonly BusinessEventDefinition[] = OUT_OF_BOX_EVENTS
): boolean {
  return catalogue.some((event) => event.entityType === entityType && event.name === name);
}

export function unknownEventMessage(
  name: string,
  entityType: EntityType,
  catalogue: readonly BusinessEventDefinition[]
): string {
  const known = byCloseness(
    name,
    eventsFor(entityType, catalogue).map((event) => event.name)
  );
  return `Unknown business event '${name}' for entity type '${entityType}'; known events (closest first): ${quoteList(known)}.`;
}

export function unknownEntityTypeMessage(entityType: unknown): string {
  return `Unknown entity type ${JSON.stringify(entityType)}; known entity types: ${quoteList(ENTITY_TYPES)}.`;
}
