import type { HealthProbe } from '../../ports/health-probe';

export interface HealthCheckResult {
  name: string;
  ok: boolean;
  /** Why it failed — for logs; the HTTP layer decides how much of it to show. */
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: HealthCheckResult[];
}

export interface CheckHealthOptions {
  /** A probe that has not answered by then counts as failed. Default 5000 ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

class ProbeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

/** Settle `promise` or reject after `timeoutMs`, always clearing the timer so nothing lingers. */
async function withTimeout(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

async function runProbe(probe: HealthProbe, timeoutMs: number): Promise<HealthCheckResult> {
  try {
    // Wrapped in an async thunk so a probe that throws synchronously is a failure, not a crash.
    await withTimeout((async () => probe.check())(), timeoutMs);
    return { name: probe.name, ok: true };
  } catch (err) {
    return { name: probe.name, ok: false, error: describe(err) };
  }
}

/**
 * Ask every dependency at once (a health check must be as slow as its slowest probe, not the sum)
 * and report each; one hanging dependency cannot hang the check.
 */
export async function checkHealth(
  probes: readonly HealthProbe[],
  options: CheckHealthOptions = {}
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const checks = await Promise.all(probes.map((probe) => runProbe(probe, timeoutMs)));
  return { ok: checks.every((check) => check.ok), checks };
}

/**
 * `run` at most once at a time: callers that come while a run is in flight get its result (or its
 * error) instead of starting another. A health endpoint polled faster than its checks answer would
 * otherwise multiply its probes of every dependency by the number of callers waiting.
 */
export function sharedWhileRunning<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    // An async wrapper, so that a synchronous throw of `run` is a rejection shared like any other.
    running ??= (async () => run())().finally(() => {
      running = undefined;
    });
    return running;
  };
}
