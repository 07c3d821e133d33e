import type { RegisteredFunction } from '../host/function-registry';
import type { HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { fromTypedData } from '../host/typed-data';
import type { Delivery, DurableSettings, WorkTracker } from './durable-common';
import type { ReceivedMessage, TaskHubStore, WorkItem } from './task-hub-store';
import { timestamped } from './episode';
import { EventType, type HistoryEvent } from './history';

export interface ActivityRunnerOptions {
  store: TaskHubStore;
  settings: DurableSettings;
  runtime: Pick<HostRuntime, 'invoker' | 'logger'>;
  tracker: WorkTracker;
  /** Hands an activity's result to the instance that scheduled it. */
  deliver: (delivery: Delivery) => void;
}

/**
 * Runs `df.app.activity` functions for work items, at most `maxConcurrentActivityFunctions` at once,
 * renewing each work item's lease while it runs. The result goes straight to the instance's inbox;
 * the work item is deleted only once the episode that takes the result is stored.
 */
export class ActivityRunner {
  #activities = new Map<string, RegisteredFunction>();
  #active = 0;
  #waiting: ReceivedMessage<WorkItem>[] = [];

  constructor(private readonly options: ActivityRunnerOptions) {}

  register(fn: RegisteredFunction): void {
    this.#activities.set(fn.name.toLowerCase(), fn);
  }

  /** How many more work items could start now. */
  get freeSlots(): number {
    return this.options.settings.maxConcurrentActivities - this.#active;
  }

  /** Runs a work item now if a slot is free, else keeps it for when one is. */
  start(item: ReceivedMessage<WorkItem>): void {
    if (this.#active >= this.options.settings.maxConcurrentActivities) {
      this.#waiting.push(item);
      return;
    }
    const { tracker, runtime } = this.options;
    this.#active++;
    const work = this.#run(item)
      .catch((err) =>
        runtime.logger.log('error', `[durable] activity ${item.body.name}: ${describeError(err)}`)
      )
      .finally(() => {
        this.#active--;
        const next = this.#waiting.shift();
        if (next && !tracker.stopping()) this.start(next);
        tracker.wake();
      });
    tracker.track(work);
  }

  async #run(item: ReceivedMessage<WorkItem>): Promise<void> {
    const { store, settings, runtime } = this.options;
    const { instanceId, executionId, taskId, name, input } = item.body;
    const fn = this.#activities.get(name.toLowerCase());
    const now = () => new Date();
    let event: HistoryEvent;
    const renew = setInterval(
      () => {
        store.renew('workItems', item, settings.workItemVisibilitySeconds).catch(() => undefined);
      },
      (settings.workItemVisibilitySeconds * 1000) / 2
    );
    renew.unref();
    try {
      if (!fn) throw new Error(`The activity function '${name}' is not registered in this app.`);
      const outcome = await runtime.invoker.invoke(fn, {
        data: { json: input },
        bindingData: activityBindingData(input),
      });
      const result = fromTypedData(outcome.returnValue);
      event = timestamped(
        {
          EventType: EventType.TaskCompleted,
          EventId: -1,
          TaskScheduledId: taskId,
          Result: JSON.stringify(result ?? null),
        },
        now()
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
        now()
      );
    } finally {
      clearInterval(renew);
    }
    this.options.deliver({
      key: `work:${item.messageId}`,
      instanceId,
      executionId,
      event,
      ack: () => store.deleteMessage('workItems', item),
    });
  }
}

/**
 * Binding data of an activity invocation: as the Functions host does for any trigger with a JSON
 * payload, the top-level properties of an object input, so that an output binding path such as
 * `backups/{backupPath}` can name a property of the activity's input.
 */
export function activityBindingData(input: string): Record<string, unknown> {
  try {
    const value = JSON.parse(input) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  } catch {
    return {};
  }
}
