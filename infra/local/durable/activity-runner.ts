import type { RegisteredFunction } from '../host/function-registry';
import type { HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { fromTypedData } from '../host/typed-data';
import type { Delivery, DurableSettings, WorkTracker } from './durable-common';
import type { ReceivedMessage, TaskHubStore, WorkItem } from './task-hub-store';
import { runWorkItem } from './work-item';

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

  #run(item: ReceivedMessage<WorkItem>): Promise<void> {
    const { name, input } = item.body;
    const fn = this.#activities.get(name.toLowerCase());
    return runWorkItem(this.options, item, async () => {
      if (!fn) throw new Error(`The activity function '${name}' is not registered in this app.`);
      const outcome = await this.options.runtime.invoker.invoke(fn, {
        data: { json: input },
        bindingData: activityBindingData(input),
      });
      return fromTypedData(outcome.returnValue);
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
