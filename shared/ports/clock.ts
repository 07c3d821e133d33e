/**
 * Time as a dependency (docs/architecture.md, docs/data.md): domain and app code never call Date.now(), so tests can fix
 * or advance time and timestamps stay deterministic.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** ISO-8601 UTC timestamp of the clock's current instant — the format stored in documents. */
export function nowIso(clock: Clock): string {
  return clock.now().toISOString();
}
