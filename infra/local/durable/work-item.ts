import type { Delivery, DurableSettings } from './durable-common';
import { timestamped } from './episode';
import { EventType, type HistoryEvent } from './history';
import type { ReceivedMessage, TaskHubStore, WorkItem } from './task-hub-store';

export interface WorkItemOptions {
  store: TaskHubStore;
  settings: DurableSettings;
  /** Hands the outcome to the instance that scheduled the work. */
  deliver: (delivery: Delivery) => void;
}

/**
 * Runs `work` for a work item, renewing its lease meanwhile, and hands the outcome to its instance:
 * TaskCompleted with the result, or TaskFailed with the error. The work item is deleted only once
 * the episode that takes the outcome is stored.
 */
export async function runWorkItem(
  options: WorkItemOptions,
  item: ReceivedMessage<WorkItem>,
  work: () => Promise<unknown>
): Promise<void> {
  const { store, settings } = options;
  const { instanceId, executionId, taskId } = item.body;
  const renew = setInterval(
    () => void store.renew('workItems', item, settings.workItemVisibilitySeconds).catch(() => undefined),
    (settings.workItemVisibilitySeconds * 1000) / 2
  );
  renew.unref();
  let event: HistoryEvent;
  try {
    const result = await work();
    event = timestamped(
      {
        EventType: EventType.TaskCompleted,
        EventId: -1,
        TaskScheduledId: taskId,
        Result: JSON.stringify(result ?? null),
      },
      new Date()
    );
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    event = timestamped(
      {
        EventType: EventType.TaskFailed,
        EventId: -1,
        TaskScheduledId: taskId,
        Reason: error.message,
        Details: error.stack ?? error.message,
      },
      new Date()
    );
  } finally {
    clearInterval(renew);
  }
  options.deliver({
    key: `work:${item.messageId}`,
    instanceId,
    executionId,
    event,
    ack: () => store.deleteMessage('workItems', item),
  });
}
