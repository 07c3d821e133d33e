import { ValidationError, type ValidationIssue } from '../errors';
import { cloneJson } from './clone-json';
import { parsePolicyPath } from './parse-policy-path';
import {
  POLICY_CRITICALITIES,
  POLICY_ENTITY_TYPES,
  POLICY_KINDS,
  POLICY_OPERATORS,
  POLICY_STATUSES,
  type Condition,
  type JsonValue,
  type Policy,
  type PolicyOperator,
} from './policy';

/** Deeper trees are refused: nobody writes them by hand, and recursion must stay far from the stack limit. */
export const MAX_RULE_DEPTH = 16;
/** Total leaf conditions in one rule. */
export const MAX_RULE_CONDITIONS = 500;
/** Fields in one path: evaluating and explaining walk a path step by step, recursively at each quantifier. */
export const MAX_PATH_SEGMENTS = 64;

const POLICY_KEYS = new Set([
  'id',
  'name',
  'kind',
  'entityType',
  'criticality',
  'rule',
  'actions',
  'version',
  'status',
]);
const CONDITION_KEYS = new Set(['path', 'operator', 'value']);
const ACTION_KEYS = new Set(['path', 'value']);
const NO_VALUE_OPERATORS: ReadonlySet<PolicyOperator> = new Set(['containsData', 'doesNotContainData']);
const ORDERING_OPERATORS: ReadonlySet<PolicyOperator> = new Set([
  'lessThan',
  'lessThanOrEqual',
  'greaterThan',
  'greaterThanOrEqual',
]);

/**
 * Checks an untrusted policy document and returns it typed (a fresh copy), or throws a ValidationError
 * listing every problem with its JSON Pointer (`/rule/all/2/operator`). Unknown properties are refused
 * everywhere, so a typo such as `{"al": [...]}` cannot silently turn into a different rule.
 */
export function validatePolicy(input: unknown): Policy {
  const issues: ValidationIssue[] = [];
  const fail = (path: string, message: string): void => void issues.push({ path, message });

  if (!isRecord(input)) {
    throw new ValidationError('policy is invalid: expected an object', [
      { path: '', message: 'expected an object' },
    ]);
  }
  for (const key of Object.keys(input)) if (!POLICY_KEYS.has(key)) fail(`/${key}`, 'unknown property');

  requireNonEmptyString(input.id, '/id', fail);
  requireNonEmptyString(input.name, '/name', fail);
  requireOneOf(input.kind, POLICY_KINDS, '/kind', fail);
  requireOneOf(input.entityType, POLICY_ENTITY_TYPES, '/entityType', fail);
  requireOneOf(input.criticality, POLICY_CRITICALITIES, '/criticality', fail);
  requireOneOf(input.status, POLICY_STATUSES, '/status', fail);
  if (typeof input.version !== 'number' || !Number.isInteger(input.version) || input.version < 1) {
    fail('/version', 'must be an integer of at least 1');
  }

  const counter = { conditions: 0 };
  if (input.rule === undefined) fail('/rule', 'is required');
  else checkNode(input.rule, '/rule', 1, counter, fail);

  if (input.actions !== undefined) {
    if (!Array.isArray(input.actions)) fail('/actions', 'must be an array');
    else {
      if (input.kind === 'filter' && input.actions.length > 0) {
        fail(
          '/actions',
          'only execution policies can have actions; a filter policy only decides whether a step runs'
        );
      }
      input.actions.forEach((action, i) => checkAction(action, `/actions/${i}`, fail));
    }
  }

  if (issues.length > 0) {
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ValidationError(`policy is invalid: ${first.path || '/'} ${first.message}${more}`, issues);
  }
  // Every field was checked above; the clone detaches the result from the caller's object.
  return cloneJson(input) as unknown as Policy;
}

type Fail = (path: string, message: string) => void;

function checkNode(
  node: unknown,
  at: string,
  depth: number,
  counter: { conditions: number },
  fail: Fail
): void {
  if (!isRecord(node))
    return fail(at, 'expected a condition {path, operator, value?} or a group {all: [...]} / {any: [...]}');
  const groupKeys = ['all', 'any'].filter((key) => key in node);
  if (groupKeys.length > 0) {
    if (groupKeys.length > 1 || 'path' in node || 'operator' in node) {
      return fail(at, 'a node is either a group with one of "all" / "any" or a condition, not both');
    }
    const key = groupKeys[0] as 'all' | 'any';
    for (const other of Object.keys(node)) if (other !== key) fail(`${at}/${other}`, 'unknown property');
    const children = node[key];
    if (!Array.isArray(children)) return fail(`${at}/${key}`, 'must be an array of conditions');
    if (children.length === 0) return fail(`${at}/${key}`, 'a group needs at least one condition');
    if (depth >= MAX_RULE_DEPTH) return fail(at, `groups nest deeper than ${MAX_RULE_DEPTH} levels`);
    children.forEach((child, i) => checkNode(child, `${at}/${key}/${i}`, depth + 1, counter, fail));
    return;
  }
  counter.conditions += 1;
  if (counter.conditions === MAX_RULE_CONDITIONS + 1)
    fail(at, `a rule may hold at most ${MAX_RULE_CONDITIONS} conditions`);
  checkCondition(node, at, fail);
}

function checkCondition(node: Record<string, unknown>, at: string, fail: Fail): void {
  for (const key of Object.keys(node)) if (!CONDITION_KEYS.has(key)) fail(`${at}/${key}`, 'unknown property');
  checkPath(node.path, `${at}/path`, false, fail);
  const { operator, value } = node;
  if (typeof operator !== 'string' || !(POLICY_OPERATORS as readonly string[]).includes(operator)) {
    fail(
      `${at}/operator`,
      `unknown operator ${JSON.stringify(operator)}; expected one of ${POLICY_OPERATORS.join(', ')}`
    );
    return;
  }
  const op = operator as Condition['operator'];
  const valueAt = `${at}/value`;
  if (NO_VALUE_OPERATORS.has(op)) {
    if (value !== undefined) fail(valueAt, `${op} takes no value`);
    return;
  }
  if (value === undefined) return fail(valueAt, `${op} needs a value`);
  if (value === null)
    return fail(valueAt, `${op} cannot compare with null; use containsData or doesNotContainData`);
  if (!isJsonValue(value))
    return fail(valueAt, 'must be a JSON value (finite numbers, strings, booleans, lists, objects)');
  if (op === 'in') {
    if (!Array.isArray(value)) return fail(valueAt, 'in needs an array of values');
    if (value.length === 0) return fail(valueAt, 'in needs at least one value');
    value.forEach((item, i) => {
      if (item === null)
        fail(`${valueAt}/${i}`, 'null never matches; use containsData or doesNotContainData');
    });
  } else if (op === 'beginsWith') {
    if (typeof value !== 'string') fail(valueAt, 'beginsWith needs a string');
  } else if (ORDERING_OPERATORS.has(op)) {
    if (typeof value !== 'number' && typeof value !== 'string')
      fail(valueAt, `${op} needs a number or a string`);
  }
}

function checkAction(action: unknown, at: string, fail: Fail): void {
  if (!isRecord(action)) return fail(at, 'expected an action {path, value}');
  for (const key of Object.keys(action)) if (!ACTION_KEYS.has(key)) fail(`${at}/${key}`, 'unknown property');
  checkPath(action.path, `${at}/path`, true, fail);
  if (action.value === undefined) fail(`${at}/value`, 'is required (null clears a field)');
  else if (!isJsonValue(action.value)) fail(`${at}/value`, 'must be a JSON value');
}

function checkPath(path: unknown, at: string, forAction: boolean, fail: Fail): void {
  if (typeof path !== 'string') return fail(at, 'must be a string');
  const parsed = parsePolicyPath(path);
  if (!parsed.ok) return fail(at, parsed.message);
  if (parsed.segments.length > MAX_PATH_SEGMENTS) {
    return fail(
      at,
      `a path may have at most ${MAX_PATH_SEGMENTS} fields; this one has ${parsed.segments.length}`
    );
  }
  if (!forAction) return;
  if (parsed.segments.some((segment) => segment.quantifier === 'any')) {
    fail(at, 'a set-value path cannot use [any]; use [all] to set the value on every element');
  }
  if (parsed.segments.at(-1)?.quantifier !== undefined)
    fail(at, 'a set-value path must end with a field name');
}

function requireNonEmptyString(value: unknown, at: string, fail: Fail): void {
  if (typeof value !== 'string' || value.trim() === '') fail(at, 'must be a non-empty string');
}

function requireOneOf(value: unknown, allowed: readonly string[], at: string, fail: Fail): void {
  if (typeof value !== 'string' || !allowed.includes(value)) fail(at, `must be one of ${allowed.join(', ')}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (!isRecord(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  // A plain object from any realm: its prototype is null or a prototype whose own prototype is null.
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}
