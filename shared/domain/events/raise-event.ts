import { ValidationError, type ValidationIssue } from '../errors';
import type { BusinessEventDefinition, RaisedBusinessEvent } from './business-event';
import { OUT_OF_BOX_EVENTS } from './catalogue';
import { unknownEntityTypeMessage, unknownEventMessage } from './find-event';
import { isEntityType } from './entity-type';

/**
 * RFC 3339 date-time with an explicit offset, as CloudEvents requires for `time`. The range checks
 * are loose on purpose: the value comes from the clock port, this only catches a wrong format.
 */
const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks and returns a raised event. Ids and the timestamp are passed in (ULIDs and the clock live
 * outside the domain); the name must be in the catalogue for the entity type, and an order's own
 * events must name the order as both entity and order, or the timeline would split.
 */
export function raiseEvent(
  input: RaisedBusinessEvent,
  catalogue: readonly BusinessEventDefinition[] = OUT_OF_BOX_EVENTS
): RaisedBusinessEvent {
  const issues: ValidationIssue[] = [];
  for (const field of ['id', 'entityId', 'orderId'] as const) {
    if (typeof input[field] !== 'string' || input[field].trim() === '') {
      issues.push({ path: `/${field}`, message: 'must be a non-empty string' });
    }
  }
  if (!isEntityType(input.entityType)) {
    issues.push({ path: '/entityType', message: unknownEntityTypeMessage(input.entityType) });
  } else if (!catalogue.some((e) => e.entityType === input.entityType && e.name === input.name)) {
    issues.push({ path: '/name', message: unknownEventMessage(input.name, input.entityType, catalogue) });
  }
  if (typeof input.occurredAt !== 'string' || !RFC3339.test(input.occurredAt)) {
    issues.push({ path: '/occurredAt', message: 'must be an RFC 3339 date-time with an offset' });
  }
  if (input.entityType === 'order' && input.entityId !== input.orderId) {
    issues.push({ path: '/entityId', message: "an order's own events must have entityId equal to orderId" });
  }
  if (
    input.data !== undefined &&
    (typeof input.data !== 'object' || input.data === null || Array.isArray(input.data))
  ) {
    issues.push({ path: '/data', message: 'must be an object when present' });
  }
  if (issues.length > 0)
    throw new ValidationError(`The business event '${String(input.name)}' is not valid.`, issues);
  return {
    id: input.id,
    name: input.name,
    entityType: input.entityType,
    entityId: input.entityId,
    orderId: input.orderId,
    occurredAt: input.occurredAt,
    ...(input.data === undefined ? {} : { data: input.data }),
  };
}
