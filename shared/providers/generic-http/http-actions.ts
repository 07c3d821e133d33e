import type { ValidationIssue } from '../../domain/errors';
import { ValidationError } from '../../domain/errors';
import { compileTransformation } from '../../domain/providers/run-transformation';
import { httpActionsSchema } from '../../schemas/http-actions.schema';
import { compileValidator } from '../../schemas/validator';

/** How one action is done over HTTP (one entry of the instance's `actions` parameter). */
export interface HttpActionSpec {
  method: 'GET' | 'POST' | 'PUT';
  /** Appended to baseUrl; `{expression}` parts are JSONata on the action's input, URL-encoded. */
  path: string;
  /** JSONata on the input: when it is false the action is not sent and answers `skippedDetail`. */
  when?: string;
  skippedDetail?: string;
  /** JSONata on the input whose output is the JSON body (absent: no body). */
  request?: string;
  /** The header that carries the step run's idempotency key (e.g. `Idempotency-Key`). */
  idempotencyHeader?: string;
  /** JSONata on `{status, body, request, subject, idempotencyKey, parameters}`: the ActionEffect[]. */
  response: string;
}

export type HttpActions = Readonly<Record<string, HttpActionSpec>>;

const validateShape = compileValidator<Record<string, HttpActionSpec>>(
  httpActionsSchema,
  'actions parameter'
);

/** The `{expression}` parts of a path template. */
export const pathPlaceholder = /\{([^{}]+)\}/g;

/**
 * Reads an instance's `actions` parameter. Issues name the path under `/parameters/actions` that is
 * wrong: JSON syntax, an unknown action name (journey steps may name only the definition's actions),
 * a missing or misspelt field, or JSONata that does not compile (with JSONata's position).
 */
export function parseHttpActions(
  text: unknown,
  actionNames: readonly string[]
): { actions: HttpActions; issues: ValidationIssue[] } {
  const at = '/parameters/actions';
  if (typeof text !== 'string') return { actions: {}, issues: [{ path: at, message: 'must be JSON text' }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { actions: {}, issues: [{ path: at, message: `is not JSON: ${(err as Error).message}` }] };
  }
  let actions: Record<string, HttpActionSpec>;
  try {
    actions = validateShape(value);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return {
      actions: {},
      issues: err.errors.map((issue) => ({ path: `${at}${issue.path}`, message: issue.message })),
    };
  }
  const issues: ValidationIssue[] = [];
  for (const [name, spec] of Object.entries(actions)) {
    if (!actionNames.includes(name)) {
      issues.push({
        path: `${at}/${name}`,
        message: `is not an action of this provider (${actionNames.join(', ')})`,
      });
    }
    for (const field of ['when', 'request', 'response'] as const) {
      const expression = spec[field];
      if (expression !== undefined) issues.push(...compileIssues(expression, `${at}/${name}/${field}`));
    }
    for (const [, expression] of spec.path.matchAll(pathPlaceholder)) {
      issues.push(...compileIssues(expression!, `${at}/${name}/path`));
    }
  }
  return { actions, issues };
}

function compileIssues(expression: string, path: string): ValidationIssue[] {
  try {
    compileTransformation(expression, path);
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return [...err.errors];
    throw err;
  }
}
