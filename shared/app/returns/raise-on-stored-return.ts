import { NotFoundError, PreconditionFailedError } from '../../domain/errors';
import { toCloudEvent } from '../../domain/events/cloud-event';
import { journeyEventSignals } from '../../domain/journeys/journey-signal';
import { raiseOnReturn, type OrderReturn } from '../../domain/returns/order-return';
import { conflictAttempts, type ReturnDeps } from './return-deps';

export function returnNotFound(returnId: string): NotFoundError {
  return new NotFoundError(`No return ${returnId}.`, { code: 'return-not-found' });
}

/**
 * Raises a business event on a stored return: the state framework moves it (a refused transition
 * throws TransitionNotAllowedError, 409), `change` applies the event's own changes, and the return
 * is written with the event's timeline entry on the order's timeline in one batch, then the event is
 * published. An event from outside the return's journey (`fromOutside`) is signalled to it, so a
 * wait may end. Idempotent by `id`: an id applied before changes nothing and answers the return as it is.
 */
export async function raiseOnStoredReturn(
  deps: Pick<ReturnDeps, 'returns' | 'config' | 'clock' | 'publisher' | 'signals'>,
  returnId: string,
  event: { id: string; name: string; detail?: string; data?: Record<string, unknown> },
  options: { change?: (orderReturn: OrderReturn) => void; fromOutside?: boolean } = {}
): Promise<{ orderReturn: OrderReturn; duplicate: boolean }> {
  const { change, fromOutside = false } = options;
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.returns.get(returnId);
    if (stored === undefined) throw returnNotFound(returnId);
    if (stored.orderReturn.appliedEventIds.includes(event.id)) {
      return { orderReturn: stored.orderReturn, duplicate: true };
    }
    const outcome = raiseOnReturn(stored.orderReturn, event, deps.config, deps.clock.now());
    const next = outcome.orderReturn;
    change?.(next);
    next.appliedEventIds = [...next.appliedEventIds, event.id];
    try {
      if ((await deps.returns.save(next, stored.etag, outcome.timeline)) === 'duplicate') {
        return { orderReturn: stored.orderReturn, duplicate: true };
      }
    } catch (err) {
      if (err instanceof PreconditionFailedError && attempt < conflictAttempts) continue;
      throw err;
    }
    await deps.publisher.publish(outcome.raised.map((raised) => toCloudEvent(raised)));
    if (fromOutside) await deps.signals.send(journeyEventSignals(next.journey, outcome.raised));
    return { orderReturn: next, duplicate: false };
  }
}
