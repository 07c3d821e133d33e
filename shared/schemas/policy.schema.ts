import {
  POLICY_CRITICALITIES,
  POLICY_ENTITY_TYPES,
  POLICY_KINDS,
  POLICY_OPERATORS,
} from '../domain/policies/policy';

/**
 * The policy bodies as JSON Schema, for the OpenAPI description only. The policies use cases check a
 * body with the domain's validatePolicy (shared/domain/policies/validate-policy.ts), which also bounds
 * the rule's depth and parses paths; this schema is built from the same constants and states the
 * shape, never more than validatePolicy accepts (test/unit/schemas/policy-schema.test.ts).
 */

const name = { type: 'string', minLength: 1, pattern: '\\S' } as const;

const condition = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'operator'],
  properties: {
    path: { type: 'string', description: 'A field path such as `lines[any].sku`.' },
    operator: { type: 'string', enum: [...POLICY_OPERATORS] },
    value: { description: 'Any JSON value but null; none for containsData and doesNotContainData.' },
  },
} as const;

/** A group of conditions (its children are conditions or groups, up to 16 levels deep). */
function group(key: 'all' | 'any') {
  return {
    type: 'object',
    additionalProperties: false,
    required: [key],
    properties: { [key]: { type: 'array', minItems: 1, items: { type: 'object' } } },
  };
}

/** The body of `POST /api/v1/policies` (with `id`) and `PUT /api/v1/policies/{id}` (id optional). */
export function policyInputSchema(idRequired: boolean): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: [...(idRequired ? ['id'] : []), 'name', 'kind', 'entityType', 'criticality', 'rule'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^/\\\\?#\\u0000-\\u001f\\u007f]+$' },
      name,
      kind: { type: 'string', enum: [...POLICY_KINDS] },
      entityType: { type: 'string', enum: [...POLICY_ENTITY_TYPES] },
      criticality: { type: 'string', enum: [...POLICY_CRITICALITIES] },
      rule: { oneOf: [condition, group('all'), group('any')] },
      actions: {
        type: 'array',
        description: 'Execution policies only: fields to set when the rule holds.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['path', 'value'],
          properties: { path: { type: 'string' }, value: { description: 'Any JSON value; null clears.' } },
        },
      },
    },
  };
}

/** The body of `POST /api/v1/policies/{id}/evaluate`. */
export const policyEvaluationRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entity'],
  properties: { entity: { type: 'object', description: 'The order, line or fulfillment order to test.' } },
} as const;
