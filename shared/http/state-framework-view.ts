import type { StateFrameworkConfig } from '../domain/states/state-framework';

/** The state framework as `GET`/`PUT /api/v1/states` answer it. */
export function stateFrameworkView(config: StateFrameworkConfig): Record<string, unknown> {
  return {
    enabled: config.enabled,
    states: config.states,
    reasons: config.reasons,
    transitions: config.transitions,
    events: config.events,
  };
}
