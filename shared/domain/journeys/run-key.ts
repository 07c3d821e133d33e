import { createHash } from 'node:crypto';
/**
 * A short, stable key of a run id for document and event ids: run ids hold the journey id and node
 * name and may be longer than a Cosmos id may be.
 */
export function runKey(runId: string): string {
  return createHash('sha256').update(runId).digest('base64url').slice(0, 27);
}

export function stepResultId(runId: string): string {
  return `step-${runKey(runId)}`;
}

/**
 * The key shared by every run of one node of one instance: a run id is `{instanceId}:{node}:{sequence}`
 * and a reprocess runs the node again under a new sequence, so the sequence is left out. Provider
 * calls use it as their idempotency key, so a reprocess does not act twice at the provider.
 */
export function nodeRunsKey(runId: string): string {
  const at = runId.lastIndexOf(':');
  return runKey(at < 0 ? runId : runId.slice(0, at));
}
