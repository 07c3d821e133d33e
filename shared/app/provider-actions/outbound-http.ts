import {
  afterCall,
  circuitRefusesUntil,
  closedCircuit,
  type CircuitState,
} from '../../domain/providers/circuit';
import { excerpt, redactSecrets, type RecordedExchange } from '../../domain/providers/outbound-exchange';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { Clock } from '../../ports/clock';
import type {
  ProviderConnection,
  ProviderHttp,
  ProviderRequest,
  ProviderResponse,
  RetryDelay,
} from '../../ports/provider-plugins';

/** The circuits of this worker's provider instances (domain/providers/circuit.ts has the rule). */
export class ProviderCircuits {
  readonly #states = new Map<string, CircuitState>();

  constructor(private readonly clock: Clock) {}

  /** `http` as calls for `instanceId` go through its circuit. */
  guard(instanceId: string, http: ProviderHttp): ProviderHttp {
    return {
      request: async (request, retryDelay) => {
        const state = this.#states.get(instanceId) ?? closedCircuit;
        const until = circuitRefusesUntil(state, this.clock.now().getTime());
        if (until !== undefined) {
          throw new ProviderCallError(
            `circuit open for instance ${instanceId} until ${new Date(until).toISOString()}`,
            undefined
          );
        }
        try {
          const response = await http.request(request, retryDelay);
          this.#update(instanceId, 'succeeded');
          return response;
        } catch (err) {
          const refused = err instanceof ProviderCallError && err.permanent;
          this.#update(instanceId, refused ? 'refused-by-provider' : 'failed');
          throw err;
        }
      },
    };
  }

  /** The circuit of an instance as it stands (for tests and diagnostics). */
  state(instanceId: string): CircuitState {
    return this.#states.get(instanceId) ?? closedCircuit;
  }

  #update(instanceId: string, outcome: Parameters<typeof afterCall>[1]): void {
    const next = afterCall(this.state(instanceId), outcome, this.clock.now().getTime());
    this.#states.set(instanceId, next);
  }
}

/**
 * `http` keeping each exchange in `exchanges`: method, URL, final status, request and answer
 * excerpts, with every secret value of the connection masked. Headers are never kept, so neither is
 * Authorization.
 */
export function recordingHttp(
  http: ProviderHttp,
  connection: ProviderConnection
): { http: ProviderHttp; exchanges: RecordedExchange[] } {
  const exchanges: RecordedExchange[] = [];
  const secrets = Object.values(connection.secrets);
  const clean = (text: string) => excerpt(redactSecrets(text, secrets));
  const record = (request: ProviderRequest, outcome: { status?: number; answer?: string }) => {
    exchanges.push({
      method: request.method ?? 'GET',
      url: redactSecrets(request.url, secrets),
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(request.body === undefined || request.carriesCredentials ? {} : { request: clean(request.body) }),
      ...(outcome.answer === undefined ? {} : { answer: clean(outcome.answer) }),
    });
  };
  return {
    exchanges,
    http: {
      async request(request: ProviderRequest, retryDelay?: RetryDelay): Promise<ProviderResponse> {
        try {
          const response = await http.request(request, retryDelay);
          // A token answer is a credential; a refusal (below) is kept, as it says what was wrong.
          record(request, {
            status: response.status,
            ...(request.carriesCredentials ? {} : { answer: response.text }),
          });
          return response;
        } catch (err) {
          if (err instanceof ProviderCallError) {
            record(request, {
              ...(err.status === undefined ? {} : { status: err.status }),
              answer: err.body ?? err.message,
            });
          } else {
            record(request, { answer: err instanceof Error ? err.message : String(err) });
          }
          throw err;
        }
      },
    },
  };
}
