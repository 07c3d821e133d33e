import { NotFoundError, PreconditionFailedError, ValidationError } from '../../domain/errors';
import {
  errorListNames,
  isErrorListName,
  planResubmit,
  type ErrorEntry,
} from '../../domain/error-lists/error-entry';
import type { Clock } from '../../ports/clock';
import type { ErrorListRepository, ResubmitQueue } from '../../ports/error-lists';

export interface ResubmitErrorDeps {
  errors: ErrorListRepository;
  queue: ResubmitQueue;
  clock: Clock;
}

/** Rounds of "someone else changed the entry between our read and our write". */
const maxRounds = 5;

/**
 * Puts an entry's original message back on its queue and marks the entry `resubmitted`.
 *
 * Idempotent: the entry is claimed with an ETag-guarded write *before* the payload is queued, so of
 * any number of concurrent or repeated requests exactly one queues it; the others answer with the
 * entry as it then is (200, status `resubmitted`). If queuing fails, the claim is given back so the
 * request can simply be retried; if the worker dies between claim and queue, the claim expires
 * (`resubmitClaimTimeoutMs`) and the next request queues it.
 */
export async function resubmitError(
  deps: ResubmitErrorDeps,
  list: string | undefined,
  id: string
): Promise<ErrorEntry> {
  if (list === undefined || !isErrorListName(list)) {
    throw new ValidationError('Unknown error list.', [
      { path: '/list', message: `must be one of ${errorListNames.join(', ')}` },
    ]);
  }
  for (let round = 1; round <= maxRounds; round++) {
    const found = await deps.errors.get(list, id);
    if (found === undefined) throw new NotFoundError(`No error ${id} on the ${list} list.`);
    const plan = planResubmit(found.entry, deps.clock.now());
    if (plan.kind === 'already-resubmitted') return found.entry;

    let claimEtag: string;
    try {
      claimEtag = await deps.errors.replaceIfMatch(plan.claimed, found.etag);
    } catch (err) {
      if (err instanceof PreconditionFailedError) continue;
      throw err;
    }
    try {
      await deps.queue.send(plan.claimed.queue!, plan.claimed.payload!);
    } catch (err) {
      // Give the claim back, so a retry resubmits at once instead of after the claim timeout.
      await deps.errors.replaceIfMatch(found.entry, claimEtag).catch(() => undefined);
      throw err;
    }
    const requeued: ErrorEntry = { ...plan.claimed, requeuedAt: deps.clock.now().toISOString() };
    try {
      await deps.errors.replaceIfMatch(requeued, claimEtag);
    } catch (err) {
      // Only a claim-timeout takeover can have moved it; the payload is on its queue either way.
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
    return requeued;
  }
  throw new PreconditionFailedError(`Error ${id} kept changing while it was being resubmitted; try again.`);
}
