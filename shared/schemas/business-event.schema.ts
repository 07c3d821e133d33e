import { ENTITY_TYPES } from '../domain/events/entity-type';

export interface BusinessEventRequest {
  id?: string;
  name: string;
  entityType: string;
  entityId: string;
  orderId?: string;
  data?: Record<string, unknown>;
}

/** The body of `POST /api/v1/events`: an external system raises a named event on an entity. */
export const businessEventRequestSchema = {
  $id: 'business-event-request',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'entityType', 'entityId'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^/\\\\?#]+$' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    entityType: { type: 'string', enum: [...ENTITY_TYPES] },
    entityId: { type: 'string', minLength: 1, maxLength: 100 },
    orderId: { type: 'string', minLength: 1, maxLength: 100 },
    data: { type: 'object' },
  },
};
