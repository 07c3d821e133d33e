import type { JourneyInstanceState } from './interpret-journey';
import type { Journey, JourneyType } from './journey';
import type { JourneyRef } from './journey-signal';

/** The orchestration's input: which journey version runs on which entity. */
export interface JourneyInstanceInput {
  journey: JourneyRef;
  type: JourneyType;
  /** An order id, a fulfillment order id, a return id. */
  entityId: string;
  /** The order whose partition holds the entity, its step results and its timeline. */
  orderId: string;
  /**
   * The W3C trace context the step activities continue, carried as data so the orchestrator stays
   * deterministic (it makes no spans); absent in instances started before tracing.
   */
  traceparent?: string;
}

/** What the step activity answers the orchestrator (interpreter outcomes, plus "run me again later"). */
export type StepAnswer =
  | { type: 'succeeded'; events?: string[] }
  | { type: 'skipped' }
  | { type: 'failed'; reason: string }
  | { type: 'deferred'; until: string; reason: string };

/** The journey as `GET /api/v1/orders/{id}` shows it (the orchestration's custom status). */
export interface JourneyStatusView {
  id: string;
  version: number;
  status: JourneyInstanceState['status'];
  /** The step running, waiting or failed (the first, when several); null when none. */
  step: string | null;
  /** Where a reprocess resumes a failed instance, and why it failed. */
  resumeFrom?: { step: string; event: string; reason: string };
  /** The events the instance waits for, with their deadlines. */
  waitingFor?: { step: string; event: string; until: string }[];
}

export function journeyStatusView(journey: Journey, state: JourneyInstanceState): JourneyStatusView {
  const failure = state.failures[0];
  const step =
    failure?.node ?? state.running[0]?.node ?? state.waiting[0]?.node ?? state.pending[0]?.node ?? null;
  return {
    id: journey.id,
    version: journey.version,
    status: state.status,
    step,
    ...(failure
      ? { resumeFrom: { step: failure.node, event: failure.resumeEvent, reason: failure.reason } }
      : {}),
    ...(state.waiting.length > 0
      ? { waitingFor: state.waiting.map((w) => ({ step: w.node, event: w.event, until: w.deadline })) }
      : {}),
  };
}

/** External events an instance listens to: a business event on its entity, and the operations. */
export const JOURNEY_EXTERNAL_EVENTS = { event: 'journeyEvent', control: 'journeyControl' } as const;

/** The data of a `journeyEvent`: a business event raised on the entity from outside the journey. */
export interface JourneyEventInput {
  event: string;
  eventId: string;
}

/** The data of a `journeyControl` event: an operation on the instance. */
export type JourneyControlInput = { type: 'reprocess' } | { type: 'cancel'; reason?: string };
