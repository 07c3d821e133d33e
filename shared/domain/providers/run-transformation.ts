import jsonata from 'jsonata';
import { ValidationError } from '../errors';
import { toMinorUnits } from './minor-units';
import { ValueLookup, type UnmappedValue, type ValueMapping } from './value-mappings';

/** What a transformation runs with besides its input. */
export interface TransformationContext {
  instanceId: string;
  parameters: Readonly<Record<string, unknown>>;
  mappings: readonly ValueMapping[];
  /** `$now()` and `$millis()` answer this instant, so a preview and a run agree and tests can fix it. */
  now: Date;
}

export interface TransformationResult {
  output: unknown;
  /** Values `$mapValue` passed through for want of a mapping. */
  unmapped: UnmappedValue[];
}

/** A JSONata expression that took longer than this is taken to be looping. */
const evaluationTimeoutMs = 2000;
/** Deep recursion in a user's expression is refused instead of overflowing the worker's stack. */
const maxStackDepth = 500;
/** Compiled expressions kept (built-ins and a tenant's own: a few dozen in practice). */
const maxCompiled = 200;

const compiled = new Map<string, jsonata.Expression>();

/**
 * Compiles a JSONata transformation; a syntax error is a ValidationError at `path` naming the
 * position, so a user editing one sees where it is wrong. Compiled expressions are reused.
 */
export function compileTransformation(expression: string, path = '/expression'): jsonata.Expression {
  const found = compiled.get(expression);
  if (found !== undefined) return found;
  let expr: jsonata.Expression;
  try {
    expr = jsonata(expression, {
      timeout: evaluationTimeoutMs,
      stack: maxStackDepth,
    });
  } catch (err) {
    throw new ValidationError('The transformation is not valid JSONata.', [
      { path, message: jsonataMessage(err) },
    ]);
  }
  if (compiled.size >= maxCompiled) compiled.delete(compiled.keys().next().value!);
  compiled.set(expression, expr);
  return expr;
}

/**
 * Runs a transformation on a provider message. Besides JSONata's own functions the expression has
 * `$mapValue(type, value)` (the mapping group's value, or `value` unchanged), `$toMinor(amount,
 * currency)` (exact minor units), `$instanceId` and `$parameters`. A failure while evaluating is a
 * TransformationError with JSONata's code and position.
 */
export async function runTransformation(
  expression: string,
  input: unknown,
  context: TransformationContext
): Promise<TransformationResult> {
  const expr = compileTransformation(expression);
  const lookup = new ValueLookup(context.mappings);
  const millis = context.now.getTime();
  const bindings = {
    instanceId: context.instanceId,
    parameters: context.parameters,
    mapValue: (type: unknown, value: unknown) => lookup.map(String(type), value),
    toMinor: (amount: unknown, currency: unknown) => {
      if (amount === undefined || amount === null) return undefined;
      return toMinorUnits(amount, String(currency));
    },
    now: () => context.now.toISOString(),
    millis: () => millis,
  };
  let output: unknown;
  try {
    output = await expr.evaluate(input, bindings);
  } catch (err) {
    throw new TransformationError(jsonataMessage(err), err);
  }
  return { output: plain(output), unmapped: lookup.unmapped() };
}

/** The transformation failed while running on this message (not a fault of the system). */
export class TransformationError extends ValidationError {
  constructor(message: string, cause?: unknown) {
    super('The transformation failed on this message.', [{ path: '/transformation', message }], { cause });
    this.name = 'TransformationError';
  }
}

/** JSONata throws plain objects `{code, position, token, message}`; functions we bind throw Errors. */
function jsonataMessage(err: unknown): string {
  if (err instanceof Error && !('code' in err)) return err.message;
  const { code, position, message } = err as { code?: string; position?: number; message?: string };
  const where = typeof position === 'number' && position > 0 ? ` at character ${position}` : '';
  return `${message ?? String(err)}${code ? ` (${code}${where})` : where}`;
}

/**
 * JSONata's results carry sequence markers and may hold `undefined` fields; the output is plain
 * JSON from here on (what a preview shows is what is validated and stored).
 */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
