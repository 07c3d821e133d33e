import { ValidationError } from '../errors';
import { compileOperator, type ValueMatcher } from './compile-operator';
import { formatValue } from './format-value';
import { parsePolicyPath, type PathQuantifier, type PathSegment } from './parse-policy-path';
import { isAllGroup, isAnyGroup, type Condition, type ConditionNode } from './policy';
import type { ConditionExplanation, PolicyExplanation } from './policy-explanation';
import { compileFieldReader, isPlainField } from './read-field';

/**
 * A condition tree compiled into closures that explain, once per policy version. Each leaf's compiled
 * tests find the node (and the list element) that decided, and only that one is described. The verdict
 * alone (CompiledPolicy.test, the hot path) is generated code instead: see generate-predicate.ts.
 */
export interface CompiledCondition {
  readonly explain: (entity: unknown) => PolicyExplanation;
}

/** Expects a validated tree (see validatePolicy); a bad path still fails loudly rather than never matching. */
export function compileCondition(node: ConditionNode, pointer: string): CompiledCondition {
  if (isAllGroup(node)) return compileGroup('all', node.all, pointer);
  if (isAnyGroup(node)) return compileGroup('any', node.any, pointer);
  return compileLeaf(node, pointer);
}

function compileGroup(
  type: 'all' | 'any',
  nodes: readonly ConditionNode[],
  pointer: string
): CompiledCondition {
  const children = nodes.map((child, i) => compileCondition(child, `${pointer}/${type}/${i}`));
  const count = children.length;
  // `all` stops at the first failing child, `any` at the first holding one.
  const stopOn = type === 'any';
  const explain = (entity: unknown): PolicyExplanation => {
    const decidedBy: PolicyExplanation[] = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!.explain(entity);
      if (child.passed === stopOn) {
        const verb = stopOn ? 'held' : 'failed';
        return {
          type,
          pointer,
          passed: stopOn,
          decidedBy: [child],
          text: `${type} ${verb} at child ${i}: ${child.text}`,
        };
      }
      decidedBy.push(child);
    }
    const text = stopOn ? `any failed: none of ${count} held` : `all ${count} held`;
    return { type, pointer, passed: !stopOn, decidedBy, text };
  };
  return { explain };
}

/** A path cut at its quantifiers: `lines[any].serials[all].ok` → [lines (any), serials (all), ok]. */
interface PathStep {
  readonly fields: readonly string[];
  /** Absent on the last step, which reads the value the operator checks. */
  readonly quantifier?: PathQuantifier;
  readonly get: (value: unknown) => unknown;
}

interface StepOutcome {
  readonly passed: boolean;
  readonly detail: string;
  readonly witness?: ConditionExplanation['witness'];
}

function compileLeaf(condition: Condition, pointer: string): CompiledCondition {
  const steps = parseSteps(condition, pointer);
  const tests = compileSteps(steps, compileOperator(condition.operator, condition.value));
  const { path, operator, value } = condition;
  const head = value === undefined ? `${path} ${operator}` : `${path} ${operator} ${formatValue(value)}`;
  const explain = (entity: unknown): ConditionExplanation => {
    const outcome = explainSteps(steps, tests, 0, entity, '');
    const text = `${head} ${outcome.passed ? 'held' : 'failed'}: ${outcome.detail}`;
    const explanation: Mutable<ConditionExplanation> = {
      type: 'condition',
      pointer,
      passed: outcome.passed,
      path,
      operator,
      text,
    };
    if (value !== undefined) explanation.value = value;
    if (outcome.witness !== undefined) explanation.witness = outcome.witness;
    return explanation;
  };
  return { explain };
}

/**
 * One condition's verdict as closures. generate-predicate.ts writes conditions out as code, and calls
 * this only for a path too long to write out.
 */
export function compileConditionTest(condition: Condition, pointer = ''): (entity: unknown) => boolean {
  const steps = parseSteps(condition, pointer);
  return compileSteps(steps, compileOperator(condition.operator, condition.value))[0]!;
}

function parseSteps(condition: Condition, pointer: string): PathStep[] {
  const parsed = parsePolicyPath(condition.path);
  if (!parsed.ok) {
    throw new ValidationError(`policy is invalid: ${parsed.message}`, [
      { path: `${pointer}/path`, message: parsed.message },
    ]);
  }
  return splitAtQuantifiers(parsed.segments);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function splitAtQuantifiers(segments: readonly PathSegment[]): PathStep[] {
  const steps: PathStep[] = [];
  let fields: string[] = [];
  for (const { field, quantifier } of segments) {
    fields.push(field);
    if (quantifier !== undefined) {
      steps.push({ fields, quantifier, get: compileGetter(fields) });
      fields = [];
    }
  }
  steps.push({ fields, get: compileGetter(fields) });
  return steps;
}

/** Unrolled for the common short paths; a loop beyond. */
function compileGetter(fields: readonly string[]): (value: unknown) => unknown {
  const readers = fields.map(compileFieldReader);
  const [a, b, c] = readers;
  switch (readers.length) {
    case 0:
      return (value) => value;
    case 1:
      return a!;
    case 2:
      return (value) => b!(a!(value));
    case 3:
      return (value) => c!(b!(a!(value)));
    default:
      return (value) => {
        let current = value;
        for (const read of readers) current = read(current);
        return current;
      };
  }
}

/**
 * `tests[i]` decides the condition for the value reached before step i; explainSteps uses them to find
 * the deciding element. Built from the last step backwards; the common shapes (`a.b`,
 * `lines[all].quantity`) get closures that read the fields directly instead of calling through a getter
 * and an inner test for every element, since evaluate (what a journey step calls) runs them.
 */
function compileSteps(steps: readonly PathStep[], matches: ValueMatcher): Test[] {
  const tests: Test[] = new Array<Test>(steps.length);
  const last = steps.length - 1;
  tests[last] = compileTail(steps[last]!.fields, matches);
  for (let i = last - 1; i >= 0; i--) {
    const step = steps[i]!;
    const next = steps[i + 1]!;
    tests[i] =
      i + 1 === last && step.fields.length === 1 && next.fields.length <= 1
        ? compileSimpleQuantifier(step.quantifier!, step.fields[0]!, next.fields[0], matches)
        : compileQuantifier(step.quantifier!, step.get, tests[i + 1]!);
  }
  return tests;
}

type Test = (value: unknown) => boolean;

function compileTail(fields: readonly string[], matches: ValueMatcher): Test {
  if (fields.length === 0) return matches;
  const [field] = fields;
  if (fields.length === 1 && isPlainField(field!)) {
    // The read is written out here rather than called: closures shared by every condition make each
    // call site megamorphic, and a call per value read is most of what an evaluation costs.
    return (value) =>
      matches(
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as Fields)[field!]
          : undefined
      );
  }
  const get = compileGetter(fields);
  return (value) => matches(get(value));
}

type Fields = Record<string, unknown>;

/** `list[q]` or `list[q].field`: one loop, with the element's field read inline (see compileTail). */
function compileSimpleQuantifier(
  quantifier: PathQuantifier,
  listField: string,
  field: string | undefined,
  matches: ValueMatcher
): Test {
  const getList = compileFieldReader(listField);
  if (field === undefined) return compileQuantifier(quantifier, getList, matches);
  if (!isPlainField(field)) return compileQuantifier(quantifier, getList, compileTail([field], matches));
  if (quantifier === 'any') {
    return (value) => {
      const list = getList(value);
      if (!Array.isArray(list)) return false;
      for (let i = 0; i < list.length; i++) {
        const element: unknown = list[i];
        const isObject = typeof element === 'object' && element !== null && !Array.isArray(element);
        if (matches(isObject ? (element as Fields)[field] : undefined)) return true;
      }
      return false;
    };
  }
  return (value) => {
    const list = getList(value);
    // Missing or not a list counts as empty, and `all` over nothing holds.
    if (!Array.isArray(list)) return true;
    for (let i = 0; i < list.length; i++) {
      const element: unknown = list[i];
      const isObject = typeof element === 'object' && element !== null && !Array.isArray(element);
      if (!matches(isObject ? (element as Fields)[field] : undefined)) return false;
    }
    return true;
  };
}

function compileQuantifier(quantifier: PathQuantifier, get: (value: unknown) => unknown, inner: Test): Test {
  if (quantifier === 'any') {
    return (value) => {
      const list = get(value);
      if (!Array.isArray(list)) return false;
      for (let i = 0; i < list.length; i++) if (inner(list[i])) return true;
      return false;
    };
  }
  return (value) => {
    const list = get(value);
    if (!Array.isArray(list)) return true;
    for (let i = 0; i < list.length; i++) if (!inner(list[i])) return false;
    return true;
  };
}

/**
 * The slow path, run only to explain: the compiled tests find the deciding element, and only that
 * element is walked again to describe it, so a held `[all]` over 50 lines builds one string, not 50.
 */
function explainSteps(
  steps: readonly PathStep[],
  tests: readonly Test[],
  index: number,
  value: unknown,
  prefix: string
): StepOutcome {
  const step = steps[index]!;
  const at =
    step.fields.length === 0
      ? prefix
      : prefix === ''
        ? step.fields.join('.')
        : `${prefix}.${step.fields.join('.')}`;
  const found = step.get(value);
  if (step.quantifier === undefined) {
    const passed = tests[index]!(value);
    const detail = index === 0 ? `actual ${formatValue(found)}` : `actual ${formatValue(found)} at ${at}`;
    return { passed, detail, witness: { path: at, actual: found } };
  }
  const isAll = step.quantifier === 'all';
  if (!Array.isArray(found)) {
    const what = found === undefined || found === null ? 'is missing' : 'is not a list';
    return { passed: isAll, detail: isAll ? `${at} ${what} (no elements: vacuously true)` : `${at} ${what}` };
  }
  if (found.length === 0)
    return { passed: isAll, detail: isAll ? `${at} is empty (vacuously true)` : `${at} is empty` };
  const inner = tests[index + 1]!;
  for (let i = 0; i < found.length; i++) {
    // The first element that satisfies `any`, or breaks `all`, decides; describe it.
    if (inner(found[i]) !== isAll) return explainSteps(steps, tests, index + 1, found[i], `${at}[${i}]`);
  }
  const elements = found.length === 1 ? '1 element' : `${found.length} elements`;
  return {
    passed: isAll,
    detail: isAll ? `all ${elements} of ${at} matched` : `no element of ${at} matched (${elements})`,
  };
}
