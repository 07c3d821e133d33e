import { compileConditionTest } from './compile-condition';
import { compileOperator } from './compile-operator';
import { parseIsoDate } from './parse-iso-date';
import { parsePolicyPath, type PathQuantifier } from './parse-policy-path';
import { isAllGroup, isAnyGroup, type Condition, type ConditionNode, type PolicyOperator } from './policy';
import { compileFieldReader, isPlainField } from './read-field';
import { MAX_RULE_DEPTH } from './validate-policy';

/**
 * The verdict of a rule as generated JavaScript, one function per compiled policy (as ajv does for
 * schemas): groups become labelled blocks, quantifiers `for` loops, field reads and the common operators
 * are written inline, so a policy's checks run as straight-line code instead of closures called through
 * call sites that every condition shares (megamorphic, never inlined). For `a.b equals "US" and
 * lines[all].quantity greaterThan 0` it writes (abridged):
 *
 *     let r;
 *     g0: {
 *       const v1 = typeof entity === "object" && entity !== null && !Array.isArray(entity) ? entity["a"] : void 0;
 *       const v2 = ... v1["b"] ...;
 *       r = v2 === "US";
 *       if (!r) break g0;
 *       const v3 = ... entity["lines"] ...;
 *       r = true;
 *       if (Array.isArray(v3)) {
 *         for (let i4 = 0; i4 < v3.length; i4++) {
 *           const x5 = v3[i4];
 *           const v6 = ... x5["quantity"] ...;
 *           r = typeof v6 === "number" && v6 > 0;
 *           if (!r) break;
 *         }
 *       }
 *     }
 *     return r;
 *
 * A group of more than MAX_CONDITIONS_PER_FUNCTION conditions is cut into runs of children, each written
 * as a function `c7(entity)` declared beside the predicate and called from it, since V8 does not
 * optimize one very large function.
 *
 * Only what `===`, `<` and friends decide exactly as compileOperator's closures do is written inline:
 * containsData / doesNotContainData, equals / notEquals / `in` on strings that are not ISO dates, finite
 * numbers and booleans, beginsWith, and orderings on numbers and on strings that are not dates. Anything
 * with subtler semantics (date-aware equality and ordering, deep equality on lists and objects, `in` with
 * dates or objects or more than MAX_INLINE_IN values) calls the matcher compileOperator builds, and a
 * field that exists on Object.prototype is read by compileFieldReader's checked reader (see read-field.ts):
 * the semantics stay those of the closures, which the unit tests hold to the reference evaluator.
 *
 * Safety rules for the generator (the source is compiled with `new Function`):
 * - Policy data (field names, expected values) enters the source only as a JSON.stringify literal (see
 *   `literal`), never concatenated raw; field names are validated by parsePolicyPath as well, but the
 *   generator does not rely on it. Everything else in the source is fixed text of this file or a name
 *   made here from a counter (`v3`, `i4`, `x5`, `g0`, `c7`, `h2`).
 * - The generated code is strict ("use strict"), reads no global but `Array.isArray` (`void 0` stands for
 *   undefined), and gets everything else as parameters: the `helpers` array of closures, bound to
 *   constants `h0`, `h1`, ... once, and the entity.
 * - Nesting is bounded: groups nest at most MAX_RULE_DEPTH levels (validatePolicy refuses deeper trees,
 *   and this file throws rather than generate one), and a path is written out only up to
 *   MAX_GENERATED_QUANTIFIERS loops and MAX_GENERATED_SEGMENTS fields; a longer path (validatePolicy does
 *   not bound paths) is checked by its closure instead (compileConditionTest), so neither the nesting nor
 *   the size of the source grows with a path's length. validatePolicy bounds the number of conditions
 *   (MAX_RULE_CONDITIONS), so the source's size is bounded by the policy's.
 */

export type Predicate = (entity: unknown) => boolean;

export interface GeneratedPredicate {
  /** The body of a function of one parameter, `helpers`, that returns the predicate. */
  readonly source: string;
  readonly helpers: readonly unknown[];
}

/** Paths with more quantifiers (or fields) than this are checked by a closure rather than written out. */
export const MAX_GENERATED_QUANTIFIERS = 4;
export const MAX_GENERATED_SEGMENTS = 32;
/**
 * A function is written for at most this many conditions; larger groups are cut into functions of this
 * size. One function for a 500-condition rule is too large for V8 to optimize, and ran slower than the
 * closures it replaces.
 */
export const MAX_CONDITIONS_PER_FUNCTION = 32;
/** `in` lists up to this long become a chain of `===`; longer ones use the matcher's Set. */
const MAX_INLINE_IN = 8;

/** Builds the verdict-only predicate of a rule (expects a validated tree; see validatePolicy). */
export function compilePredicate(rule: ConditionNode): Predicate {
  const { source, helpers } = generatePredicateSource(rule);
  // Compiling generated source is the point of this file; the source holds policy data only as
  // JSON.stringify literals (see the safety rules above), as cosmos-journal.ts does for UDF bodies.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const build = new Function('helpers', source) as (helpers: readonly unknown[]) => Predicate;
  return build(helpers);
}

export function generatePredicateSource(rule: ConditionNode): GeneratedPredicate {
  const writer = new Writer();
  writer.node(rule, 'entity', 1, 1);
  const prologue = ['"use strict";'];
  writer.helpers.forEach((_, i) => prologue.push(`const h${i} = helpers[${i}];`));
  prologue.push(...writer.functions, 'return function compiledPolicyTest(entity) {', '  let r;');
  const source = [...prologue, ...writer.lines, '  return r;', '};'].join('\n');
  return { source, helpers: writer.helpers };
}

/** The ISO date test the closures use: a string that parses as a date compares as an instant. */
function isDate(value: string): boolean {
  return !Number.isNaN(parseIsoDate(value));
}

/**
 * The only way a value of the policy gets into the source. JSON.stringify escapes quotes, backslashes,
 * control characters and lone surrogates; U+2028 / U+2029 are valid in string literals since ES2019, and
 * are escaped anyway so that the source is also valid for older parsers and tools that read it.
 */
function literal(value: string | number | boolean): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The literal for which `===` is today's equality (compileEquals): a string that is not a date, a finite
 * number (JSON.stringify writes -0 as 0, which `===` and the orderings do not tell apart), a boolean.
 * undefined for anything else.
 */
function scalarLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return isDate(value) ? undefined : literal(value);
  if (typeof value === 'number') return Number.isFinite(value) ? literal(value) : undefined;
  if (typeof value === 'boolean') return literal(value);
  return undefined;
}

type Source = (actual: string) => string;

const ORDERING_SIGNS: Partial<Record<PolicyOperator, string>> = {
  lessThan: '<',
  lessThanOrEqual: '<=',
  greaterThan: '>',
  greaterThanOrEqual: '>=',
};

/**
 * The operator as an expression on the variable named `actual`, mirroring compileOperator's closures
 * case by case, or undefined where the closure has to decide.
 */
function inlineOperator(operator: PolicyOperator, expected: unknown): Source | undefined {
  const hasData: Source = (a) =>
    `(${a} !== void 0 && ${a} !== null && ${a} !== "" && !(Array.isArray(${a}) && ${a}.length === 0))`;
  switch (operator) {
    case 'containsData':
      return hasData;
    case 'doesNotContainData':
      return (a) => `!${hasData(a)}`;
    case 'equals': {
      const value = scalarLiteral(expected);
      return value === undefined ? undefined : (a) => `${a} === ${value}`;
    }
    case 'notEquals': {
      const value = scalarLiteral(expected);
      // Missing never compares (see policy.ts).
      return value === undefined
        ? undefined
        : (a) => `(${a} !== void 0 && ${a} !== null && ${a} !== ${value})`;
    }
    case 'in': {
      if (!Array.isArray(expected)) return () => 'false';
      if (expected.length > MAX_INLINE_IN) return undefined;
      const values: string[] = [];
      for (const item of expected as readonly unknown[]) {
        if (item === null) continue; // in the closure's Set, but a missing actual never matches
        const value = scalarLiteral(item);
        if (value === undefined) return undefined;
        values.push(value);
      }
      if (values.length === 0) return () => 'false';
      return (a) => `(${values.map((value) => `${a} === ${value}`).join(' || ')})`;
    }
    case 'beginsWith': {
      if (typeof expected !== 'string') return () => 'false';
      const prefix = literal(expected);
      return (a) => `(typeof ${a} === "string" && ${a}.startsWith(${prefix}))`;
    }
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'greaterThan':
    case 'greaterThanOrEqual': {
      const sign = ORDERING_SIGNS[operator]!;
      if (typeof expected === 'number') {
        if (!Number.isFinite(expected)) return undefined;
        const value = literal(expected);
        return (a) => `(typeof ${a} === "number" && ${a} ${sign} ${value})`;
      }
      if (typeof expected !== 'string') return () => 'false';
      if (isDate(expected)) return undefined;
      // On strings `a <= b` is `!(a > b)`, the closure's comparison of code units.
      const value = literal(expected);
      return (a) => `(typeof ${a} === "string" && ${a} ${sign} ${value})`;
    }
  }
}

/**
 * A group's children cut into consecutive runs of at most MAX_CONDITIONS_PER_FUNCTION conditions (a
 * child with more is a run of its own), or one run when the group is small enough to write inline.
 */
function cutIntoPieces(children: readonly ConditionNode[]): (readonly ConditionNode[])[] {
  const counts = children.map(countConditions);
  if (counts.reduce((sum, count) => sum + count, 0) <= MAX_CONDITIONS_PER_FUNCTION) return [children];
  const pieces: ConditionNode[][] = [];
  let piece: ConditionNode[] = [];
  let size = 0;
  children.forEach((child, i) => {
    const count = counts[i]!;
    if (piece.length > 0 && size + count > MAX_CONDITIONS_PER_FUNCTION) {
      pieces.push(piece);
      piece = [];
      size = 0;
    }
    piece.push(child);
    size += count;
  });
  pieces.push(piece);
  return pieces;
}

function countConditions(node: ConditionNode): number {
  if (isAllGroup(node)) return node.all.reduce((sum, child) => sum + countConditions(child), 0);
  if (isAnyGroup(node)) return node.any.reduce((sum, child) => sum + countConditions(child), 0);
  return 1;
}

interface Step {
  readonly fields: readonly string[];
  /** Absent on the last step, whose value the operator checks. */
  readonly quantifier?: PathQuantifier;
}

class Writer {
  /** The body being written: the predicate's, or a piece's while Writer.piece writes one. */
  lines: string[] = [];
  /** The pieces of large groups, as function declarations. */
  readonly functions: string[] = [];
  readonly helpers: unknown[] = [];
  private counter = 0;

  /** Emits statements that leave the node's verdict in `r`. */
  node(node: ConditionNode, value: string, indent: number, depth: number): void {
    if (depth > MAX_RULE_DEPTH) {
      throw new Error(`policy rule nests deeper than ${MAX_RULE_DEPTH} levels; validatePolicy refuses it`);
    }
    if (isAllGroup(node)) return this.group('all', node.all, value, indent, depth);
    if (isAnyGroup(node)) return this.group('any', node.any, value, indent, depth);
    return this.leaf(node, value, indent);
  }

  private group(
    type: 'all' | 'any',
    children: readonly ConditionNode[],
    value: string,
    indent: number,
    depth: number
  ): void {
    // `all` stops at the first failing child, `any` at the first holding one; an empty group (which
    // validatePolicy refuses) is `all` true, `any` false, as the closures had it.
    const stop = type === 'any' ? 'if (r)' : 'if (!r)';
    if (children.length === 0) return this.line(indent, `r = ${literal(type === 'all')};`);
    const pieces = cutIntoPieces(children);
    const label = this.name('g');
    this.line(indent, `${label}: {`);
    if (pieces.length === 1) {
      children.forEach((child, i) => {
        this.node(child, value, indent + 1, depth + 1);
        if (i < children.length - 1) this.line(indent + 1, `${stop} break ${label};`);
      });
    } else {
      // `all` of the pieces' `all`s is the `all` of their children (and so for `any`), in the same order.
      pieces.forEach((piece, i) => {
        this.line(indent + 1, `r = ${this.piece(type, piece, depth)}(${value});`);
        if (i < pieces.length - 1) this.line(indent + 1, `${stop} break ${label};`);
      });
    }
    this.line(indent, '}');
  }

  /**
   * A run of a group's children as a function of its own. Groups always apply to the entity (a path's
   * quantifiers never hold a group), so the function's one parameter is the entity.
   */
  private piece(type: 'all' | 'any', children: readonly ConditionNode[], depth: number): string {
    const name = this.name('c');
    const outer = this.lines;
    this.lines = [];
    // At most MAX_CONDITIONS_PER_FUNCTION conditions, or a single group that is cut in turn.
    this.group(type, children, 'entity', 1, depth);
    this.functions.push(`function ${name}(entity) {`, '  let r;', ...this.lines, '  return r;', '}');
    this.lines = outer;
    return name;
  }

  private leaf(condition: Condition, value: string, indent: number): void {
    const parsed = parsePolicyPath(condition.path);
    if (!parsed.ok) throw new Error(`policy is invalid: ${parsed.message}`);
    const { segments } = parsed;
    const loops = segments.filter((segment) => segment.quantifier !== undefined).length;
    if (loops > MAX_GENERATED_QUANTIFIERS || segments.length > MAX_GENERATED_SEGMENTS) {
      const test = this.helper(compileConditionTest(condition));
      return this.line(indent, `r = ${test}(${value});`);
    }
    const steps: Step[] = [];
    let fields: string[] = [];
    for (const { field, quantifier } of segments) {
      fields.push(field);
      if (quantifier !== undefined) {
        steps.push({ fields, quantifier });
        fields = [];
      }
    }
    steps.push({ fields });
    let matches = inlineOperator(condition.operator, condition.value);
    if (matches === undefined) {
      const matcher = this.helper(compileOperator(condition.operator, condition.value));
      matches = (a) => `${matcher}(${a})`;
    }
    this.steps(steps, 0, value, matches, indent);
  }

  /** Reads step `index`'s fields from `value`; then applies the operator, or loops over the list. */
  private steps(steps: readonly Step[], index: number, value: string, matches: Source, indent: number): void {
    const step = steps[index]!;
    let current = value;
    for (const field of step.fields) {
      const next = this.name('v');
      this.line(indent, `const ${next} = ${this.read(current, field)};`);
      current = next;
    }
    if (step.quantifier === undefined) return this.line(indent, `r = ${matches(current)};`);
    // Missing or not a list counts as empty: `any` over nothing is false, `all` vacuously true.
    const isAll = step.quantifier === 'all';
    const i = this.name('i');
    const element = this.name('x');
    this.line(indent, `r = ${literal(isAll)};`);
    this.line(indent, `if (Array.isArray(${current})) {`);
    this.line(indent + 1, `for (let ${i} = 0; ${i} < ${current}.length; ${i}++) {`);
    this.line(indent + 2, `const ${element} = ${current}[${i}];`);
    this.steps(steps, index + 1, element, matches, indent + 2);
    this.line(indent + 2, isAll ? 'if (!r) break;' : 'if (r) break;');
    this.line(indent + 1, '}');
    this.line(indent, '}');
  }

  /** A field of an object; lists and primitives have none. Inherited names go through the checked reader. */
  private read(value: string, field: string): string {
    if (!isPlainField(field)) return `${this.helper(compileFieldReader(field))}(${value})`;
    const isObject = `typeof ${value} === "object" && ${value} !== null && !Array.isArray(${value})`;
    return `${isObject} ? ${value}[${literal(field)}] : void 0`;
  }

  private helper(fn: unknown): string {
    this.helpers.push(fn);
    return `h${this.helpers.length - 1}`;
  }

  private name(prefix: 'v' | 'i' | 'x' | 'g' | 'c'): string {
    return `${prefix}${this.counter++}`;
  }

  private line(indent: number, text: string): void {
    this.lines.push('  '.repeat(indent) + text);
  }
}
