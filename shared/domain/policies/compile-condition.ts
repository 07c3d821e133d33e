import { ValidationError } from '../errors';
import { compileOperator, type ValueMatcher } from './compile-operator';
import { formatValue } from './format-value';
import { parsePolicyPath, type PathQuantifier, type PathSegment } from './parse-policy-path';
import { isAllGroup, isAnyGroup, type Condition, type ConditionNode } from './policy';
import type { ConditionExplanation, PolicyExplanation } from './policy-explanation';
import { readField } from './read-field';

/**
 * A condition tree compiled into closures, once per policy version. `test` is the hot path: no
 * allocation, no strings, short-circuiting. `explain` walks the same compiled matchers but records
 * which node (and which list element) decided, so it costs more and is only used when a caller wants
 * the why.
 */
export interface CompiledCondition {
  readonly test: (entity: unknown) => boolean;
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
  const tests = children.map((child) => child.test);
  const count = tests.length;
  // `all` stops at the first failing child, `any` at the first holding one.
  const stopOn = type === 'any';
  const test = (entity: unknown): boolean => {
    for (let i = 0; i < count; i++) if (tests[i]!(entity) === stopOn) return stopOn;
    return !stopOn;
  };
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
  return { test, explain };
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
  const parsed = parsePolicyPath(condition.path);
  if (!parsed.ok)
    throw new ValidationError(`policy is invalid: ${parsed.message}`, [
      { path: `${pointer}/path`, message: parsed.message },
    ]);
  const steps = splitAtQuantifiers(parsed.segments);
  const matches = compileOperator(condition.operator, condition.value);
  const test = compileSteps(steps, 0, matches);
  const head =
    condition.value === undefined
      ? `${condition.path} ${condition.operator}`
      : `${condition.path} ${condition.operator} ${formatValue(condition.value)}`;
  const explain = (entity: unknown): ConditionExplanation => {
    const outcome = explainSteps(steps, 0, entity, '', matches);
    return {
      type: 'condition',
      pointer,
      passed: outcome.passed,
      path: condition.path,
      operator: condition.operator,
      ...(condition.value === undefined ? {} : { value: condition.value }),
      ...(outcome.witness === undefined ? {} : { witness: outcome.witness }),
      text: `${head} ${outcome.passed ? 'held' : 'failed'}: ${outcome.detail}`,
    };
  };
  return { test, explain };
}

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
  const [a, b, c] = fields;
  switch (fields.length) {
    case 0:
      return (value) => value;
    case 1:
      return (value) => readField(value, a!);
    case 2:
      return (value) => readField(readField(value, a!), b!);
    case 3:
      return (value) => readField(readField(readField(value, a!), b!), c!);
    default:
      return (value) => {
        let current = value;
        for (const field of fields) current = readField(current, field);
        return current;
      };
  }
}

function compileSteps(
  steps: readonly PathStep[],
  index: number,
  matches: ValueMatcher
): (value: unknown) => boolean {
  const step = steps[index]!;
  const get = step.get;
  if (step.quantifier === undefined) {
    return step.fields.length === 0 ? matches : (value) => matches(get(value));
  }
  const inner = compileSteps(steps, index + 1, matches);
  if (step.quantifier === 'any') {
    return (value) => {
      const list = get(value);
      if (!Array.isArray(list)) return false;
      for (let i = 0; i < list.length; i++) if (inner(list[i])) return true;
      return false;
    };
  }
  return (value) => {
    const list = get(value);
    // Missing or not a list counts as empty, and `all` over nothing holds.
    if (!Array.isArray(list)) return true;
    for (let i = 0; i < list.length; i++) if (!inner(list[i])) return false;
    return true;
  };
}

function explainSteps(
  steps: readonly PathStep[],
  index: number,
  value: unknown,
  prefix: string,
  matches: ValueMatcher
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
    const passed = matches(found);
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
  for (let i = 0; i < found.length; i++) {
    const outcome = explainSteps(steps, index + 1, found[i], `${at}[${i}]`, matches);
    // The first element that satisfies `any`, or breaks `all`, decides; report it.
    if (outcome.passed !== isAll) return outcome;
  }
  const elements = found.length === 1 ? '1 element' : `${found.length} elements`;
  return {
    passed: isAll,
    detail: isAll ? `all ${elements} of ${at} matched` : `no element of ${at} matched (${elements})`,
  };
}
