/**
 * How long to wait before retrying a write that lost an ETag race: 1, 2, 4 … ms up to 50, with
 * jitter so that two workers do not retry in lockstep.
 */
export function conflictBackoffMs(attempt: number): number {
  return Math.random() * Math.min(50, 2 ** Math.min(attempt, 6));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
