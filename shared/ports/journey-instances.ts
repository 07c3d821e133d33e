import type { JourneyInstanceInput, JourneyStatusView } from '../domain/journeys/journey-runtime';

/** A journey instance as the orchestration engine reports it. */
export interface JourneyInstanceStatus {
  /** Durable's runtime status: Pending, Running, Suspended, Completed, Failed, Terminated. */
  runtimeStatus: string;
  /** The journey view the orchestrator last set (null before its first episode). */
  view: JourneyStatusView | null;
}

/** The orchestration engine's side of journey instances (Durable Functions' client). */
export interface JourneyInstances {
  /** Starts the instance unless it exists already (a start is idempotent by instance id). */
  start(input: JourneyInstanceInput): Promise<'started' | 'exists'>;
  /** Raises an external event on a running instance; an instance that ended ignores it. */
  raise(instanceId: string, name: string, data: unknown): Promise<void>;
  status(instanceId: string): Promise<JourneyInstanceStatus | undefined>;
  suspend(instanceId: string, reason: string): Promise<void>;
  resume(instanceId: string, reason: string): Promise<void>;
}
