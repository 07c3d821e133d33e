import type { JourneySignal } from '../domain/journeys/journey-signal';

export type { JourneyRef, JourneySignal } from '../domain/journeys/journey-signal';

/**
 * Delivers signals to journey instances. Sending is durable once it resolves (a queue the journey
 * runtime drains), so a caller that raised events can answer at once and nothing is lost.
 */
export interface JourneySignals {
  send(signals: readonly JourneySignal[]): Promise<void>;
}
