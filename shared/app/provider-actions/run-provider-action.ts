import type { ErrorEntry } from '../../domain/error-lists/error-entry';
import { redactSecrets, type RecordedExchange } from '../../domain/providers/outbound-exchange';
import type { Clock } from '../../ports/clock';
import type { ErrorListRepository } from '../../ports/error-lists';
import type {
  ActionAnswer,
  ActionSubject,
  ProviderHttp,
  ProviderPlugins,
} from '../../ports/provider-plugins';
import { connectionOf, type ProviderSettings } from '../providers/provider-settings';
import { recordingHttp, type ProviderCircuits } from './outbound-http';

export interface ProviderActionDeps {
  settings: ProviderSettings;
  plugins: ProviderPlugins;
  http: ProviderHttp;
  circuits: ProviderCircuits;
  errors: ErrorListRepository;
  clock: Clock;
}

export interface ProviderActionRequest {
  instanceId: string;
  action: string;
  subject: ActionSubject;
  idempotencyKey: string;
  /** Where it runs, for the error list: the journey step, the order, and an id unique per run. */
  step: string;
  orderId: string;
  runKey: string;
}

export type ProviderActionOutcome =
  | { ok: true; answer: ActionAnswer; exchanges: RecordedExchange[] }
  | { ok: false; message: string; exchanges: RecordedExchange[] };

/** Runs provider actions for journey steps (see runProviderAction). */
export type ProviderActionRunner = (request: ProviderActionRequest) => Promise<ProviderActionOutcome>;

/**
 * Runs a journey step's provider action: the instance must be active and its definition must declare
 * the action. Calls go through the instance's circuit and are recorded with secrets masked. A failure
 * (the provider refused, could not be reached, or the instance cannot run the action) answers
 * `ok: false` with the provider's own message and goes on the `provider-action` error list with the
 * recorded exchanges, once per run.
 */
export async function runProviderAction(
  deps: ProviderActionDeps,
  request: ProviderActionRequest
): Promise<ProviderActionOutcome> {
  const outcome = await callAction(deps, request);
  if (!outcome.ok) await recordFailure(deps, request, outcome.message, outcome.exchanges);
  return outcome;
}

async function callAction(
  deps: ProviderActionDeps,
  request: ProviderActionRequest
): Promise<ProviderActionOutcome> {
  const { instanceId, action } = request;
  const instance = await deps.settings.instance(instanceId);
  const plugin = instance && deps.plugins.get(instance.provider);
  const refuse = (message: string): ProviderActionOutcome => ({ ok: false, message, exchanges: [] });
  if (instance === undefined || plugin === undefined) return refuse(`No provider instance ${instanceId}.`);
  if (!instance.active) return refuse(`Provider instance ${instanceId} is not active.`);
  const handler = plugin.actions?.[action];
  if (handler === undefined || !plugin.definition.actions.some((a) => a.name === action)) {
    return refuse(`${plugin.definition.name} (instance ${instanceId}) has no action ${action}.`);
  }
  const connection = connectionOf(instance);
  const recorder = recordingHttp(deps.circuits.guard(instanceId, deps.http), connection);
  try {
    const answer = await handler(
      {
        connection,
        action,
        subject: request.subject,
        idempotencyKey: request.idempotencyKey,
        now: deps.clock.now(),
      },
      recorder.http
    );
    return { ok: true, answer, exchanges: recorder.exchanges };
  } catch (err) {
    // Any failure of the handler (a refusal, an answer it cannot read) fails the step with words a
    // person can act on; a message must never carry a secret, whatever the handler put in it.
    const text = err instanceof Error ? err.message : String(err);
    const message = redactSecrets(text, Object.values(connection.secrets));
    return { ok: false, message, exchanges: recorder.exchanges };
  }
}

async function recordFailure(
  deps: ProviderActionDeps,
  request: ProviderActionRequest,
  message: string,
  exchanges: readonly RecordedExchange[]
): Promise<void> {
  const entry: ErrorEntry = {
    id: `${request.runKey}-provider-action`,
    type: 'error-entry',
    kind: 'provider-action',
    createdAt: deps.clock.now().toISOString(),
    source: request.instanceId,
    step: request.step,
    message,
    detail: JSON.stringify({ action: request.action, exchanges }),
    orderId: request.orderId,
    status: 'open',
    attempts: 1,
  };
  await deps.errors.create(entry);
}
