import { JOURNEY_EXTERNAL_EVENTS, type JourneyEventInput } from '../../domain/journeys/journey-runtime';
import type { JourneySignal } from '../../domain/journeys/journey-signal';
import type { JourneyInstances } from '../../ports/journey-instances';
import { inSpan, SpanKind, traceFields } from '../../telemetry/tracing';

/**
 * The journey-signals queue's consumer: starts instances (idempotent by instance id) and raises
 * outside business events on them, in the order they were sent. A failure throws, so the host
 * retries the message and finally keeps it on the poison queue; redoing a start or an event is
 * harmless (a start finds the instance, an event that no wait needs is ignored).
 */
export async function deliverJourneySignals(instances: JourneyInstances, message: unknown): Promise<number> {
  const signals = (message as { signals?: JourneySignal[] } | null)?.signals;
  if (!Array.isArray(signals)) throw new Error('A journey-signals message must be {signals: [...]}.');
  for (const signal of signals) {
    if (signal.kind === 'start') {
      const instanceId = signal.journey.instanceId;
      // The instance's steps continue this span's trace: its context travels in the input.
      await inSpan(
        'journey.start',
        {
          kind: SpanKind.PRODUCER,
          parent: signal.traceparent,
          fields: { orderId: signal.orderId, instanceId },
        },
        async (span) => {
          const started = await instances.start({
            journey: signal.journey,
            type: signal.type,
            entityId: signal.entityId,
            orderId: signal.orderId,
            ...traceFields(),
          });
          span.setAttribute('openiom.outcome', started);
        }
      );
    } else {
      await untilStarted(instances, signal.instanceId);
      await instances.raise(signal.instanceId, JOURNEY_EXTERNAL_EVENTS.event, {
        event: signal.event,
        eventId: signal.eventId,
      } satisfies JourneyEventInput);
    }
  }
  return signals.length;
}

/**
 * An event can overtake the start of its instance (they travel in different messages): it waits a
 * little for the start rather than fail and come back only after the queue's visibility timeout.
 */
async function untilStarted(instances: JourneyInstances, instanceId: string): Promise<void> {
  for (let waited = 0; waited < startWaitMs; waited += startPollMs) {
    if ((await instances.status(instanceId)) !== undefined) return;
    await new Promise((resolve) => setTimeout(resolve, startPollMs));
  }
}

const startWaitMs = 10_000;
const startPollMs = 200;
