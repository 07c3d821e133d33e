import { randomUUID } from 'crypto';
import type { ExecutionCheckpoint, InstanceRecord, RuntimeStatus } from './task-hub-store';
import type { HistoryEvent } from './history';

export class UnknownOrchestratorError extends Error {}
export class InstanceExistsError extends Error {}
export class InstanceNotFoundError extends Error {}
export class InstanceNotRunningError extends Error {}
/** Rewind asked of an instance that did not fail. */
export class InstanceNotFailedError extends Error {}

/** Statuses of an instance that is not over: it takes events, and terminate applies to it. */
export const activeStatuses: RuntimeStatus[] = ['Pending', 'Running', 'Suspended'];

/** The engine's settings, from host.json's `extensions.durableTask`. */
export interface DurableSettings {
  hubName: string;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
  controlVisibilitySeconds: number;
  workItemVisibilitySeconds: number;
  maxPollingMs: number;
}

/**
 * An event on its way into an episode, with what acknowledges it once the episode that takes it is
 * stored: deleting its control message, or, for an activity result handed over in process, deleting
 * the activity's work item (so a crash before that re-runs the activity instead of losing its result).
 */
export interface Delivery {
  key: string;
  instanceId: string;
  executionId?: string;
  event: HistoryEvent;
  ack(): Promise<void>;
  /** Makes the message visible again soon (its episode failed), rather than after its whole lease. */
  retrySoon?(): Promise<void>;
}

/** Work the engine waits for on stop: one episode or one activity. */
export interface WorkTracker {
  track(work: Promise<unknown>): void;
  /** Wakes the poll loops: a slot is free again. */
  wake(): void;
  stopping(): boolean;
}

export function newId(): string {
  return randomUUID().replace(/-/g, '');
}

export function checkpointOf(record: InstanceRecord): ExecutionCheckpoint {
  const { state, historyCount, runtimeStatus, output, customStatus, lastUpdatedTime } = record;
  return { state, historyCount, runtimeStatus, output, customStatus, lastUpdatedTime };
}

export function withCheckpoint(record: InstanceRecord, checkpoint: ExecutionCheckpoint): InstanceRecord {
  return { ...record, ...checkpoint };
}
