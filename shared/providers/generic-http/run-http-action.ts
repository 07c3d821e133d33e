import { ValidationError } from '../../domain/errors';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import {
  runTransformation,
  TransformationError,
  type TransformationContext,
} from '../../domain/providers/run-transformation';
import type {
  ActionAnswer,
  ActionCall,
  ActionEffect,
  ProviderActionHandler,
  ProviderHttp,
  ProviderResponse,
} from '../../ports/provider-plugins';
import { actionEffectsSchema } from '../../schemas/action-effect.schema';
import { compileValidator } from '../../schemas/validator';
import { inProviderWords } from '../common/provider-refusal';
import { commonErrorMessage } from './error-message';
import type { ClientCredentialsTokens } from '../common/oauth-token';
import { withAuth } from './auth';
import { parseHttpActions, pathPlaceholder, type HttpActionSpec } from './http-actions';

const validateEffects = compileValidator<ActionEffect[]>(actionEffectsSchema, 'action effects');

/**
 * A transformation of an action gave what the action cannot use: the step fails with the
 * transformation and the path that is wrong, for the user to fix it (not the provider's fault).
 */
export class HttpActionError extends ValidationError {
  /** `problem`: what went wrong with `part` ("gave an output that is not valid", "failed"). */
  constructor(action: string, part: string, problem: string, issues: ValidationError['errors']) {
    const where = issues
      .map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message))
      .join('; ');
    super(`The ${part} of action ${action} ${problem}: ${where}.`, [...issues]);
    this.name = 'HttpActionError';
  }
}

/**
 * The handler of every action of a declarative HTTP provider: reads the action's spec from the
 * instance's `actions` parameter, checks `when`, sends `method baseUrl+path` with the request
 * transformation's output as the JSON body (and the run's idempotency key in the spec's header), and
 * turns the answer into effects with the response transformation. A refusal is a ProviderCallError
 * with the provider's own message.
 */
export function httpActionHandler(
  tokens: ClientCredentialsTokens,
  actionNames: readonly string[]
): ProviderActionHandler {
  return async (call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> => {
    const { connection, action } = call;
    const { actions, issues } = parseHttpActions(connection.parameters.actions, actionNames);
    if (issues.length > 0) throw new HttpActionError(action, 'actions parameter', 'is not valid', issues);
    const spec = actions[action];
    if (spec === undefined) {
      throw new ProviderCallError(
        `Instance ${connection.instanceId} does not say how to do ${action} (no "${action}" in its actions parameter).`,
        undefined
      );
    }
    const context: TransformationContext = {
      instanceId: connection.instanceId,
      parameters: connection.parameters,
      mappings: [],
      now: call.now,
    };
    const input = {
      subject: call.subject,
      idempotencyKey: call.idempotencyKey,
      parameters: connection.parameters,
    };
    const run = async (expression: string, part: string, on: unknown): Promise<unknown> => {
      try {
        return (await runTransformation(expression, on, context)).output;
      } catch (err) {
        if (err instanceof TransformationError) {
          throw new HttpActionError(action, part, 'failed', [
            { path: '', message: err.errors[0]?.message ?? err.message },
          ]);
        }
        throw err;
      }
    };

    if (spec.when !== undefined && (await run(spec.when, 'when condition', input)) !== true) {
      return { effects: [], detail: spec.skippedDetail ?? `${action} not sent: its condition is not met` };
    }
    const path = await fillPath(spec.path, (expression) => run(expression, 'path', input));
    const body =
      spec.request === undefined ? undefined : await run(spec.request, 'request transformation', input);
    const url = `${String(connection.parameters.baseUrl ?? '').replace(/\/+$/, '')}${path}`;
    const response = await send(call, http, tokens, spec, url, body);

    const answer = {
      status: response.status,
      body: parseBody(response.text),
      request: body ?? null,
      ...input,
    };
    const output = (await run(spec.response, 'response transformation', answer)) ?? [];
    let effects: ActionEffect[];
    try {
      effects = validateEffects(output);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The per-type branch's own issues name the field; its "must match then" summary adds nothing.
      const issues = err.errors.filter((issue) => !issue.message.startsWith('must match "then"'));
      throw new HttpActionError(
        action,
        'response transformation',
        'gave an output that is not valid',
        issues
      );
    }
    return { effects, detail: `${spec.method} ${path} answered ${response.status}` };
  };
}

async function send(
  call: ActionCall,
  http: ProviderHttp,
  tokens: ClientCredentialsTokens,
  spec: HttpActionSpec,
  url: string,
  body: unknown
): Promise<ProviderResponse> {
  const headers = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(spec.idempotencyHeader === undefined ? {} : { [spec.idempotencyHeader]: call.idempotencyKey }),
  };
  // Only the API's answers are put in its words; a refused token request keeps its own message.
  return withAuth(call.connection, http, tokens, call.now, (auth) =>
    inProviderWords(
      http.request({
        method: spec.method,
        url,
        headers: { ...auth, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      commonErrorMessage
    )
  );
}

/** Each `{expression}` of the path, evaluated and URL-encoded (an id with a slash stays one segment). */
async function fillPath(
  template: string,
  evaluate: (expression: string) => Promise<unknown>
): Promise<string> {
  let path = '';
  let last = 0;
  for (const match of template.matchAll(pathPlaceholder)) {
    const value = await evaluate(match[1]!);
    path += template.slice(last, match.index) + encodeURIComponent(pathText(value));
    last = match.index + match[0].length;
  }
  return path + template.slice(last);
}

/** JSON answers as data (ids beyond 2^53 kept as text); anything else as its text. */
function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return parseJsonLossless(text);
  } catch {
    return text;
  }
}

function pathText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}
