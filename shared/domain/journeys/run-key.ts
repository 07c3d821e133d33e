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
