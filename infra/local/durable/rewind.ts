import type { ExecutionState } from './episode';
import { EventType, type HistoryEvent } from './history';

/** A failed task that a rewind runs again. */
export type Rerun =
  | { kind: 'activity'; taskId: number; name: string; input: string }
  | { kind: 'suborchestration'; taskId: number; name: string; input: string; instanceId: string };

export interface RewindPlan {
  history: HistoryEvent[];
  state: ExecutionState;
  rerun: Rerun[];
}

/** Name of the events that stand where a rewind took a failure out of the history. */
export const rewoundEventName = 'Rewound';

/**
 * Rewinds a failed execution, as the Durable Task Framework does: its failed activities and
 * sub-orchestrations, and the failure of the execution itself, become generic events the replay
 * passes over (the history keeps its length, so stored rows stay where they are), those tasks are
 * open again, and they run again. Everything else replays as recorded. A failed call with retry
 * options had one failure per attempt, each followed by a retry timer; those stay as they are.
 */
export function rewindExecution(history: HistoryEvent[], state: ExecutionState, reason: string): RewindPlan {
  const next: ExecutionState = structuredClone(state);
  const scheduled = new Map<number, HistoryEvent>();
  const retried = retriedTaskIds(history);
  const rerun: Rerun[] = [];
  const rewound = (event: HistoryEvent): HistoryEvent => ({
    EventType: EventType.GenericEvent,
    EventId: -1,
    IsPlayed: event.IsPlayed,
    Timestamp: event.Timestamp,
    Name: rewoundEventName,
    Reason: reason,
    Details: event.Reason ?? event.Result,
  });
  const rewritten = history.map((event) => {
    switch (event.EventType) {
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        scheduled.set(event.EventId, event);
        return event;
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed: {
        const id = event.TaskScheduledId ?? -1;
        const task = scheduled.get(id);
        if (!task || retried.has(id)) return event;
        if (task.EventType === EventType.TaskScheduled) {
          rerun.push({ kind: 'activity', taskId: id, name: task.Name ?? '', input: task.Input ?? 'null' });
          next.open[id] = { kind: 'activity', name: task.Name };
        } else {
          rerun.push({
            kind: 'suborchestration',
            taskId: id,
            name: task.Name ?? '',
            input: task.Input ?? 'null',
            instanceId: task.InstanceId ?? '',
          });
          next.open[id] = { kind: 'suborchestration', name: task.Name };
        }
        return rewound(event);
      }
      case EventType.ExecutionCompleted:
        return event.OrchestrationStatus === 'Failed' ? rewound(event) : event;
      default:
        return event;
    }
  });
  return { history: rewritten, state: next, rerun };
}

/**
 * Tasks whose failure started a retry: the engine answers such a failure in the same episode with
 * the retry's timer, so a failure followed by a TimerCreated before its episode ends was retried.
 */
function retriedTaskIds(history: HistoryEvent[]): Set<number> {
  const retried = new Set<number>();
  let failedInEpisode: number[] = [];
  for (const event of history) {
    if (event.EventType === EventType.OrchestratorStarted) failedInEpisode = [];
    else if (
      event.EventType === EventType.TaskFailed ||
      event.EventType === EventType.SubOrchestrationInstanceFailed
    )
      failedInEpisode.push(event.TaskScheduledId ?? -1);
    else if (event.EventType === EventType.TimerCreated) for (const id of failedInEpisode) retried.add(id);
  }
  return retried;
}
