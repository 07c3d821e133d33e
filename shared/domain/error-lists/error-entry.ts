import { ConflictError } from '../errors';

/**
 * Error lists (docs/data.md, `jobs` container, partition `/kind` = the list): what failed for good, kept
 * so a person can see why, fix the cause and resubmit the original message.
 */

export const errorListNames = [
  'provider-inbound',
  'provider-action',
  'orchestration-step',
  'policy',
] as const;
export type ErrorListName = (typeof errorListNames)[number];

export const errorStatuses = ['open', 'resubmitted', 'dismissed'] as const;
export type ErrorStatus = (typeof errorStatuses)[number];

export interface ErrorEntry {
  id: string;
  type: 'error-entry';
  /** The list the entry is on (also its partition key). */
  kind: ErrorListName;
  createdAt: string;
  updatedAt?: string;
  /** Where it failed: a queue name, a provider instance, a journey step. */
  source: string;
  /** The step that failed (a provider message: `transformation`, `mapping`, `validation`, ...). */
  step?: string;
  /** The provider's id of the failed message (a provider-inbound entry). */
  messageId?: string;
  /** What failed, in words a person can act on. */
  message: string;
  detail?: string;
  /** The original message text, kept so it can be resubmitted. */
  payload?: string;
  /** The queue a resubmit puts `payload` back on; without it the entry cannot be resubmitted. */
  queue?: string;
  orderId?: string;
  status: ErrorStatus;
  /** Deliveries that failed before the entry was listed, plus one per resubmit. */
  attempts: number;
  /** When the last resubmit claimed the entry. */
  resubmittedAt?: string;
  /** When the payload of that resubmit was put on its queue (absent while the resubmit is under way). */
  requeuedAt?: string;
}

export function isErrorListName(value: string): value is ErrorListName {
  return (errorListNames as readonly string[]).includes(value);
}

export function isErrorStatus(value: string): value is ErrorStatus {
  return (errorStatuses as readonly string[]).includes(value);
}

/**
 * A claimed resubmit whose payload was not queued within this time is taken to have died with its
 * worker (between claiming and queuing), and may be claimed again.
 */
export const resubmitClaimTimeoutMs = 60_000;

/** What a resubmit request should do with an entry. */
export type ResubmitPlan =
  /** Store `claimed` (ETag-guarded), then queue the payload, then mark it requeued. */
  | { kind: 'claim'; claimed: ErrorEntry }
  /** Already resubmitted (or being resubmitted by a live caller): answer with the entry as it is. */
  | { kind: 'already-resubmitted' };

/**
 * Resubmitting is idempotent: the first request claims the entry (status `resubmitted`) and queues
 * the payload once; later requests change nothing and see the same state. Only a claim that never
 * got its payload queued (its worker died) is claimed again after `resubmitClaimTimeoutMs`.
 */
export function planResubmit(entry: ErrorEntry, now: Date): ResubmitPlan {
  if (entry.status === 'dismissed') {
    throw new ConflictError(`Error ${entry.id} was dismissed; it cannot be resubmitted.`, {
      code: 'error-dismissed',
    });
  }
  if (entry.payload === undefined || entry.queue === undefined) {
    throw new ConflictError(`Error ${entry.id} has no message to resubmit.`, { code: 'not-resubmittable' });
  }
  if (entry.status === 'resubmitted') {
    const claimedAt = entry.resubmittedAt === undefined ? 0 : Date.parse(entry.resubmittedAt);
    const stale = entry.requeuedAt === undefined && now.getTime() - claimedAt >= resubmitClaimTimeoutMs;
    if (!stale) return { kind: 'already-resubmitted' };
  }
  const claimed: ErrorEntry = {
    ...entry,
    status: 'resubmitted',
    resubmittedAt: now.toISOString(),
    attempts: entry.attempts + (entry.status === 'open' ? 1 : 0),
  };
  delete claimed.requeuedAt;
  return { kind: 'claim', claimed };
}
