import Ajv2020 from 'ajv/dist/2020';
import { draftFromBody } from '../../../shared/app/policies/policy-requests';
import { policyEvaluationRequestSchema, policyInputSchema } from '../../../shared/schemas/policy.schema';

// The policy bodies are enforced by the domain's validatePolicy; the JSON Schema the OpenAPI
// description states must describe the same bodies: never refuse one the validator takes, and refuse
// what the validator refuses for its shape.
const ajv = new Ajv2020({ allErrors: true, strict: false });
const createSchema = ajv.compile(policyInputSchema(true));
const putSchema = ajv.compile(policyInputSchema(false));

const base = {
  id: 'vip-orders',
  name: 'VIP orders',
  kind: 'filter',
  entityType: 'order',
  criticality: 'information',
  rule: { path: 'customer.tier', operator: 'equals', value: 'vip' },
};

const accepted: Record<string, unknown>[] = [
  base,
  { ...base, rule: { all: [base.rule, { path: 'lines[any].sku', operator: 'beginsWith', value: 'SKU' }] } },
  { ...base, rule: { any: [{ path: 'total', operator: 'greaterThan', value: 100 }] } },
  { ...base, rule: { path: 'shipTo.country', operator: 'containsData' } },
  { ...base, rule: { path: 'currency', operator: 'in', value: ['USD', 'EUR'] } },
  {
    ...base,
    kind: 'execution',
    entityType: 'orderLine',
    criticality: 'critical',
    actions: [{ path: 'priority', value: null }],
  },
];

const refused: Record<string, unknown>[] = [
  { ...base, kind: 'sometimes' },
  { ...base, entityType: 'customer' },
  { ...base, criticality: 'high' },
  { ...base, rule: { path: 'x', operator: 'matches', value: 'y' } },
  { ...base, rule: { all: [] } },
  { ...base, rule: { al: [base.rule] } },
  { ...base, extra: true },
  { ...base, actions: [{ path: 'priority' }] },
  (({ rule: _rule, ...rest }) => rest)(base),
  (({ name: _name, ...rest }) => rest)(base),
];

function validatorTakes(body: unknown): boolean {
  try {
    draftFromBody(body, 1);
    return true;
  } catch {
    return false;
  }
}

it.each(accepted.map((body, i) => [i, body]))('describes accepted body %i as valid', (_i, body) => {
  expect(validatorTakes(body)).toBe(true);
  expect(createSchema(body)).toBe(true);
  const { id: _id, ...withoutId } = body as { id: string };
  expect(putSchema(withoutId)).toBe(true);
});

it.each(refused.map((body, i) => [i, body]))('describes refused body %i as invalid', (_i, body) => {
  expect(validatorTakes(body)).toBe(false);
  expect(createSchema(body)).toBe(false);
});

it('describes the evaluate body as {entity}', () => {
  const evaluate = ajv.compile(policyEvaluationRequestSchema);
  expect(evaluate({ entity: { total: 5 } })).toBe(true);
  expect(evaluate({ entity: 5 })).toBe(false);
  expect(evaluate({ order: {} })).toBe(false);
});
