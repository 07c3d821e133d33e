/**
 * A circuit per provider instance: after `circuitFailureLimit` calls in a row failed because the
 * provider was unreachable or failing (timeouts, 5xx, 429 after every retry), it opens for
 * `circuitOpenMs`, and calls are refused at once instead of waiting through their retries; the first
 * call after that is let through as a trial, and its outcome closes or reopens the circuit. A
 * provider refusing a request (4xx) is answering, so it neither counts nor resets the count.
 */

export const circuitFailureLimit = 5;
export const circuitOpenMs = 30_000;

export interface CircuitState {
  /** Failed calls in a row. */
  failures: number;
  /** While set and in the future, calls are refused. */
  openUntil?: number;
}

export const closedCircuit: CircuitState = { failures: 0 };

/** When the circuit refuses calls at `nowMs`: the time it opens again; undefined: the call may go. */
export function circuitRefusesUntil(state: CircuitState, nowMs: number): number | undefined {
  return state.openUntil !== undefined && nowMs < state.openUntil ? state.openUntil : undefined;
}

/** The state after a call ended `outcome` at `nowMs`. */
export function afterCall(
  state: CircuitState,
  outcome: 'succeeded' | 'failed' | 'refused-by-provider',
  nowMs: number
): CircuitState {
  if (outcome === 'succeeded') return closedCircuit;
  if (outcome === 'refused-by-provider') return state;
  const failures = state.failures + 1;
  return failures >= circuitFailureLimit ? { failures, openUntil: nowMs + circuitOpenMs } : { failures };
}
