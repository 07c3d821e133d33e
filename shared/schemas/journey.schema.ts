import { JOURNEY_ACTIONS, JOURNEY_STATUSES, JOURNEY_TYPES } from '../domain/journeys/journey';

/** A journey id: like a policy id, 1–100 characters without `/ \ ? #` or control characters. */
export const journeyIdSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^[^/\\\\?#\\p{Cc}]+$',
} as const;

export const journeyRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['journeyId'],
  properties: { journeyId: journeyIdSchema },
} as const;

/** `GET /api/v1/journeys?type=&status=&version=` (each optional). */
export const journeyQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: JOURNEY_TYPES },
    status: { type: 'string', enum: JOURNEY_STATUSES },
    version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
  },
} as const;

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;
const events = { type: 'array', maxItems: 50, items: text } as const;

/**
 * The fields of every node kind (`kind` absent: a step); which a kind requires, and a field of another
 * kind, are checked by draftJourney (the ajv strict mode refuses `required` in conditional subschemas).
 */
const nodeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    kind: { type: 'string', enum: ['step', 'condition', 'splitter', 'exit'] },
    name: text,
    inputEvents: events,
    action: { type: 'string', enum: JOURNEY_ACTIONS },
    filterPolicyId: text,
    executionPolicyIds: { type: 'array', maxItems: 50, items: text },
    providerAction: {
      type: 'object',
      additionalProperties: false,
      required: ['instanceId', 'action'],
      properties: { instanceId: text, action: text },
    },
    successEvent: text,
    failureEvent: text,
    resumeOnErrorEvent: text,
    emailTemplateId: text,
    wait: {
      type: 'object',
      additionalProperties: false,
      required: ['event', 'timeoutSeconds'],
      properties: { event: text, timeoutSeconds: { type: 'number' }, timeoutEvent: text },
    },
    trueEvent: text,
    falseEvent: text,
    branches: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['event'],
        properties: { event: text, filterPolicyId: text },
      },
    },
  },
} as const;

/**
 * The body of `PUT /api/v1/journeys/{journeyId}` (docs/journeys.md). It checks the shape only; the
 * graph (events, reachability, policies) is checked when the journey is published.
 */
export const journeyInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'steps'],
  properties: {
    name: text,
    type: { type: 'string', enum: JOURNEY_TYPES },
    startEvent: text,
    steps: { type: 'array', maxItems: 200, items: nodeSchema },
  },
} as const;

/** What journeyInputSchema accepts, typed loosely: the use case turns it into a Journey. */
export interface JourneyInput {
  name: string;
  type: (typeof JOURNEY_TYPES)[number];
  startEvent?: string;
  steps: (Record<string, unknown> & { name: string; kind?: string })[];
}

/** What journeyQuerySchema accepts. */
export interface JourneyQuery {
  type?: (typeof JOURNEY_TYPES)[number];
  status?: (typeof JOURNEY_STATUSES)[number];
  version?: string;
}
