import { alertStates } from '../domain/alerts/alert';
import { alertRuleKinds, alertSeverities } from '../domain/alerts/alert-rule';
import { errorListNames } from '../domain/error-lists/error-entry';

/** An alert rule id: letters, digits, `.`, `_`, `:` or `-`, 1–100 characters. */
export const alertRuleIdSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' } as const;

export const alertRuleRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: alertRuleIdSchema },
} as const;

const count = (max: number) => ({ type: 'integer', minimum: 1, maximum: max }) as const;

/**
 * The body of `PUT /api/v1/alert-rules/{id}`; keep in step with AlertRuleInput. The three age kinds
 * take `after` (exactly one of minutes, hours, days); `errorListGrowing` takes `minEntries` and
 * `withinMinutes` (and `list` to watch one list only) instead.
 */
export const alertRuleInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { type: 'string', enum: [...alertRuleKinds] },
    enabled: { type: 'boolean' },
    recipients: {
      type: 'array',
      maxItems: 50,
      uniqueItems: true,
      items: { type: 'string', format: 'email', maxLength: 320 },
    },
    severity: { type: 'string', enum: [...alertSeverities] },
    after: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: { minutes: count(525_600), hours: count(8760), days: count(365) },
    },
    list: { type: 'string', enum: [...errorListNames] },
    minEntries: count(10_000),
    withinMinutes: count(10_080),
  },
  if: { properties: { kind: { const: 'errorListGrowing' } } },
  then: {
    required: ['minEntries', 'withinMinutes'],
    properties: { minEntries: true, withinMinutes: true, after: false },
  },
  else: {
    required: ['after'],
    properties: { after: true, list: false, minEntries: false, withinMinutes: false },
  },
} as const;

/** The query of `GET /api/v1/alerts`. */
export const alertListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: [...alertStates] },
    ruleId: alertRuleIdSchema,
    entityId: { type: 'string', minLength: 1, maxLength: 300 },
    continuationToken: { type: 'string', minLength: 1, maxLength: 10_000 },
  },
} as const;

/** The body of `POST /api/v1/alerts/{alertId}/acknowledge` (may be absent). */
export const alertAcknowledgeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by: { type: 'string', minLength: 1, maxLength: 200 },
    note: { type: 'string', maxLength: 2000 },
  },
} as const;

/** The body of `POST /api/v1/alerts/evaluate` (may be absent): `at` evaluates as of that instant. */
export const alertEvaluateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { at: { type: 'string', format: 'date-time' } },
} as const;

export const alertRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['alertId'],
  properties: { alertId: { type: 'string', pattern: '^alert-[A-Za-z0-9_-]{1,64}$' } },
} as const;
