/**
 * The policy model (docs/policies.md): a filter policy decides whether a journey step runs; an
 * execution policy checks a record and, when its rule holds, sets values on it.
 *
 * Semantics of a rule, fixed here so that the compiled evaluator, the explanations and the docs agree:
 *
 * - **Paths** are dotted field names into the entity as the caller hands it over, with its related
 *   entities already embedded (`shipTo.country`, `customer.email`, `currency`). Loading related records
 *   is the app layer's job; the domain reads one plain JSON-like object. Only own properties are read,
 *   so `toString` or `__proto__` never resolve to something inherited. A field name on a list (without
 *   a quantifier) is missing.
 * - **Quantifiers** `name[any]` / `name[all]` walk a list: the rest of the path and the operator are
 *   applied to every element. `[any]` holds when at least one element satisfies the condition, `[all]`
 *   when every element does. Over an empty list `[any]` is false and `[all]` is true (vacuous truth,
 *   as in logic and SQL `ALL`); a missing or non-list value counts as an empty list. Pair `[all]` with
 *   `lines containsData` when an order without lines must fail. Quantifiers may nest
 *   (`lines[any].serials[all].scanned`).
 * - **Missing** means `undefined` or `null`. On a missing value `containsData` is false,
 *   `doesNotContainData` is true, and every comparison (`equals`, `notEquals`, the orderings, `in`,
 *   `beginsWith`) is false — like Dataverse, where "does not equal" never matches an empty field.
 *   So `notEquals` is not the negation of `equals` on missing values.
 * - **No data** (for `containsData` / `doesNotContainData`): missing, the empty string and the empty
 *   list. Anything else, including `0`, `false` and `{}`, is data.
 * - **Comparisons** never coerce between types: numbers compare numerically with numbers; strings with
 *   strings, case-sensitively, by UTF-16 code unit (not locale collation); `5` never equals `"5"`.
 *   When both strings are ISO 8601 dates (`YYYY-MM-DD`, taken as UTC midnight, or a date-time with an
 *   explicit `Z` / `±hh:mm` offset) they compare as instants. A date-time without an offset is a plain
 *   string: its instant would depend on the machine's time zone.
 *   Orderings on booleans, lists or objects are false. `equals` on lists and objects is deep equality.
 * - `in` holds when the actual value equals (as `equals`) one of the listed values. `beginsWith` is a
 *   case-sensitive prefix test on strings.
 */

export const POLICY_OPERATORS = [
  'equals',
  'notEquals',
  'lessThan',
  'lessThanOrEqual',
  'greaterThan',
  'greaterThanOrEqual',
  'containsData',
  'doesNotContainData',
  'in',
  'beginsWith',
] as const;
export type PolicyOperator = (typeof POLICY_OPERATORS)[number];

export const POLICY_KINDS = ['filter', 'execution'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const POLICY_ENTITY_TYPES = [
  'order',
  'orderLine',
  'fulfillmentOrder',
  'fulfillmentOrderLine',
] as const;
export type PolicyEntityType = (typeof POLICY_ENTITY_TYPES)[number];

/** `information`: a failure is logged and the flow goes on; `critical`: the step fails. */
export const POLICY_CRITICALITIES = ['information', 'critical'] as const;
export type PolicyCriticality = (typeof POLICY_CRITICALITIES)[number];

export const POLICY_STATUSES = ['draft', 'published', 'archived'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/** A JSON value as stored in a policy document. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface Condition {
  readonly path: string;
  readonly operator: PolicyOperator;
  /** Absent for `containsData` / `doesNotContainData`, an array for `in`, required otherwise. */
  readonly value?: JsonValue;
}

/** AND: holds when every child holds. */
export interface AllGroup {
  readonly all: readonly ConditionNode[];
}

/** OR: holds when some child holds. */
export interface AnyGroup {
  readonly any: readonly ConditionNode[];
}

export type ConditionNode = Condition | AllGroup | AnyGroup;

/** Sets `value` at `path` (plain fields, or `[all]` to set on every element of a list). */
export interface SetValueAction {
  readonly path: string;
  readonly value: JsonValue;
}

export interface Policy {
  readonly id: string;
  readonly name: string;
  readonly kind: PolicyKind;
  readonly entityType: PolicyEntityType;
  readonly criticality: PolicyCriticality;
  readonly rule: ConditionNode;
  /** Execution policies only; they run only when the rule holds. */
  readonly actions?: readonly SetValueAction[];
  readonly version: number;
  readonly status: PolicyStatus;
}

/** The entity a policy reads: a plain JSON-like object with its related entities embedded. */
export type PolicyEntity = object;

export function isAllGroup(node: ConditionNode): node is AllGroup {
  return 'all' in node;
}

export function isAnyGroup(node: ConditionNode): node is AnyGroup {
  return 'any' in node;
}
