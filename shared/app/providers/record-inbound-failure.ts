import { PreconditionFailedError } from '../../domain/errors';
import type { ErrorEntry } from '../../domain/error-lists/error-entry';
import type { InboundMessage, InboundMessageError } from '../../domain/providers/inbound-message';
import type { Clock } from '../../ports/clock';
import type { ErrorListRepository } from '../../ports/error-lists';

export interface RecordInboundFailureDeps {
  errors: ErrorListRepository;
  hash: (text: string) => string;
  clock: Clock;
  /** The queue a resubmit puts the message back on. */
  queueName: string;
}

/**
 * Puts a provider message that cannot become an order on the `provider-inbound` error list with the
 * step and the reason, and the message itself so it can be resubmitted once the cause is fixed. One
 * entry per message: failing again (a redelivery, or a resubmit before the fix) updates the entry
 * and opens it again rather than adding another.
 */
export async function recordInboundFailure(
  deps: RecordInboundFailureDeps,
  message: InboundMessage,
  failure: InboundMessageError
): Promise<void> {
  const id = `provider-inbound.${message.instanceId}.${deps.hash(message.messageId)}`;
  const now = deps.clock.now().toISOString();
  const entry: ErrorEntry = {
    id,
    type: 'error-entry',
    kind: 'provider-inbound',
    createdAt: now,
    source: message.instanceId,
    step: failure.step,
    messageId: message.messageId,
    message: failure.message,
    ...(failure.detail === undefined ? {} : { detail: failure.detail }),
    payload: JSON.stringify(message),
    queue: deps.queueName,
    status: 'open',
    attempts: 1,
  };
  for (let round = 1; round <= 5; round++) {
    if ((await deps.errors.create(entry)) === 'created') return;
    const found = await deps.errors.get('provider-inbound', id);
    if (found === undefined) continue;
    const { resubmittedAt: _r, requeuedAt: _q, ...earlier } = found.entry;
    const reopened: ErrorEntry = {
      ...earlier,
      ...entry,
      createdAt: earlier.createdAt,
      updatedAt: now,
      attempts: found.entry.status === 'open' ? found.entry.attempts : found.entry.attempts + 1,
    };
    if (found.entry.status === 'dismissed') return;
    try {
      await deps.errors.replaceIfMatch(reopened, found.etag);
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
  throw new PreconditionFailedError(`Error ${id} kept changing while it was being recorded.`);
}
