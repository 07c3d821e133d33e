import type { RegisteredFunction } from '../host/function-registry';
import type { HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { fromTypedData } from '../host/typed-data';
import type { ActivityRunner } from './activity-runner';
import {
  activeStatuses,
  checkpointOf,
  newId,
  withCheckpoint,
  type Delivery,
  type DurableSettings,
  type WorkTracker,
} from './durable-common';
import type {
  ControlMessage,
  InstanceRecord,
  ReceivedMessage,
  RuntimeStatus,
  TaskHubStore,
  WorkItem,
} from './task-hub-store';
import {
  applySuspension,
  decideEpisode,
  isSuspensionRequest,
  newExecutionState,
  selectEvents,
  timestamped,
  type EpisodeDecision,
  type ExecutionState,
  type InstanceIdentity,
} from './episode';
import { EventType, type HistoryEvent, type OrchestratorState, type ParentInstance } from './history';
import { httpActivityName } from './http-call';
import { ReplayCache } from './replay-cache';

const failureDataLabel = '\n\n$OutOfProcData$:';
/** Instances whose replay state stays in memory between episodes. */
const replayCacheCapacity = 2000;

export interface EpisodeRunnerOptions {
  store: TaskHubStore;
  settings: DurableSettings;
  runtime: Pick<HostRuntime, 'invoker' | 'logger'>;
  tracker: WorkTracker;
  activities: ActivityRunner;
  /** Starts a sub-orchestration (the client's startNew). */
  startNew: (name: string, instanceId: string, input: string, parent: ParentInstance) => Promise<string>;
}

type Loaded = { record: InstanceRecord; history: HistoryEvent[] };

/**
 * Runs orchestrations one episode at a time per instance: collects the events delivered for an
 * instance, replays its history through `durable-functions`' own orchestrator code, stores the new
 * history and instance state, then sends what the episode decided (activities, timers,
 * sub-orchestrations, messages to a parent, continue-as-new). Messages are acknowledged only after
 * the episode that takes them is stored.
 */
export class EpisodeRunner {
  #orchestrators = new Map<string, RegisteredFunction>();
  #inbox = new Map<string, Delivery[]>();
  #running = new Set<string>();
  #cache = new ReplayCache<Loaded>(replayCacheCapacity);
  #active = 0;

  constructor(private readonly options: EpisodeRunnerOptions) {}

  register(fn: RegisteredFunction): void {
    this.#orchestrators.set(fn.name.toLowerCase(), fn);
  }

  orchestrator(name: string): RegisteredFunction | undefined {
    return this.#orchestrators.get(name.toLowerCase());
  }

  /** How many more instances could run an episode now. */
  get freeSlots(): number {
    return this.options.settings.maxConcurrentOrchestrations - this.#active;
  }

  /** Drops the in-memory copy of an instance (it starts over or was purged). */
  forget(instanceId: string): void {
    this.#cache.delete(instanceId);
  }

  deliver(delivery: Delivery): void {
    const inbox = this.#inbox.get(delivery.instanceId) ?? [];
    if (!inbox.some((d) => d.key === delivery.key)) inbox.push(delivery);
    this.#inbox.set(delivery.instanceId, inbox);
    this.#schedule(delivery.instanceId);
  }

  async #sendControl(message: ControlMessage, delayMs = 0): Promise<void> {
    await this.options.store.send('control', message, delayMs);
  }

  #schedule(instanceId: string): void {
    if (this.#running.has(instanceId) || this.options.tracker.stopping()) return;
    const messages = this.#inbox.get(instanceId);
    if (!messages || messages.length === 0) return;
    this.#inbox.delete(instanceId);
    this.#running.add(instanceId);
    this.#active++;
    const work = this.#runEpisode(instanceId, messages)
      .catch((err) => {
        this.options.runtime.logger.log(
          'error',
          `[durable] ${instanceId}: episode failed: ${describeError(err)}`
        );
        // What is kept in memory may be ahead of or behind the store now: read it again next time.
        // The messages it took come back in a second, not after their whole lease, so a failure
        // under load delays an instance briefly instead of stalling it for a minute.
        this.#cache.delete(instanceId);
        for (const message of messages) void message.retrySoon?.().catch(() => undefined);
      })
      .finally(() => {
        this.#running.delete(instanceId);
        this.#active--;
        this.#schedule(instanceId);
        this.options.tracker.wake();
      });
    this.options.tracker.track(work);
  }

  /** Keeps the replay state of an instance that goes on; one that is over is read again if needed. */
  #keep(record: InstanceRecord, history: HistoryEvent[]): void {
    if (activeStatuses.includes(record.runtimeStatus))
      this.#cache.set(record.instanceId, { record, history });
    else this.#cache.delete(record.instanceId);
  }

  async #load(instanceId: string): Promise<Loaded | undefined> {
    const cached = this.#cache.get(instanceId);
    if (cached) return cached;
    let record = await this.options.store.readInstance(instanceId);
    if (!record) return undefined;
    const { history, checkpoint } = await this.options.store.readExecution(instanceId, record.executionId);
    if (checkpoint) {
      const stale = checkpoint.runtimeStatus !== record.runtimeStatus;
      record = withCheckpoint(record, checkpoint);
      // The host stopped between storing an episode that changed the status and updating the row.
      if (stale) record.etag = await this.options.store.writeInstance(record, record.etag);
    }
    const loaded = { record, history };
    this.#cache.set(instanceId, loaded);
    return loaded;
  }

  async #runEpisode(instanceId: string, messages: Delivery[]): Promise<void> {
    const loaded = await this.#load(instanceId);
    const consumed: Delivery[] = [];
    const done = () => Promise.all(consumed.map((m) => m.ack()));
    if (!loaded) {
      consumed.push(...messages);
      return void (await done());
    }
    const { record } = loaded;
    const now = new Date();

    const current: Delivery[] = [];
    for (const message of messages) {
      const { executionId, event } = message;
      const stale = executionId !== undefined && executionId !== record.executionId;
      const startedAgain =
        event.EventType === EventType.ExecutionStarted &&
        (loaded.history.some((e) => e.EventType === EventType.ExecutionStarted) ||
          current.some((m) => m.event.EventType === EventType.ExecutionStarted));
      if (stale || startedAgain || !activeStatuses.includes(record.runtimeStatus)) consumed.push(message);
      else if (
        event.EventType === EventType.TimerFired &&
        event.FireAt &&
        Date.parse(event.FireAt) > now.getTime() + 500
      ) {
        // A timer longer than a queue message can stay invisible: send it on for the rest of the wait.
        await this.#sendControl({ instanceId, executionId, event }, Date.parse(event.FireAt) - now.getTime());
        consumed.push(message);
      } else current.push(message);
    }

    const terminate = current.find((m) => m.event.EventType === EventType.ExecutionTerminated);
    if (terminate) {
      await this.#terminateNow(loaded, terminate.event, now);
      consumed.push(...current);
      return void (await done());
    }

    // Suspend and resume requests go first. While the instance is suspended the orchestrator does
    // not run: every other event is kept with the instance (its message acknowledged once stored) and
    // taken, in arrival order, after the resume. The Durable Task Framework appends such events to
    // the history and replays them after the ExecutionResumed; here they join the history only when
    // taken, so that an episode still takes at most one event that makes a retry number a task.
    const requests = current.filter((m) => isSuspensionRequest(m.event));
    const suspension = applySuspension(
      record.runtimeStatus === 'Suspended',
      requests.map((m) => m.event)
    );
    consumed.push(...requests);
    // A wake-up (sent to itself, below) only brings the instance here to take its kept events.
    const wakeUps = current.filter((m) => m.event.EventType === EventType.GenericEvent);
    consumed.push(...wakeUps);
    const rest = current.filter((m) => !requests.includes(m) && !wakeUps.includes(m));
    const pending = record.state.pending ?? [];
    if (suspension.suspended) {
      consumed.push(...rest);
      if (suspension.history.length > 0 || rest.length > 0) {
        const kept = [...pending, ...rest.map((m) => m.event)];
        await this.#storeWithoutRun(loaded, suspension.history, kept, 'Suspended', now);
      }
      return void (await done());
    }

    const candidates: { event: HistoryEvent; message?: Delivery }[] = [
      ...pending.map((event) => ({ event })),
      ...rest.map((m) => ({ event: m.event, message: m })),
    ];
    const start = candidates.find((c) => c.event.EventType === EventType.ExecutionStarted);
    const started = loaded.history.some((e) => e.EventType === EventType.ExecutionStarted);
    const idleStatus = started ? 'Running' : 'Pending';
    if (!started && !start) {
      // Events for an instance whose start message is still on its way wait in the queue.
      if (suspension.history.length > 0)
        await this.#storeWithoutRun(loaded, suspension.history, pending, idleStatus, now);
      return void (await done());
    }
    if (start?.message) consumed.push(start.message);
    const others = candidates.filter((c) => c.event.EventType !== EventType.ExecutionStarted);
    const selection = selectEvents(
      record.state,
      others.map((c) => c.event)
    );
    const taken = (event: HistoryEvent) =>
      selection.accepted.includes(event) || selection.duplicates.includes(event);
    for (const c of others) if (c.message && taken(c.event)) consumed.push(c.message);
    const stillPending = others.filter((c) => !c.message && !taken(c.event)).map((c) => c.event);
    const accepted = [...(start && !started ? [start.event] : []), ...selection.accepted];
    if (stillPending.length > 0 && stillPending.length < pending.length) {
      // Kept events an episode takes one at a time (retries) need further episodes: sent before
      // storing, so that a restart in between still finds a message that brings the instance back.
      await this.#sendControl({
        instanceId,
        executionId: record.executionId,
        event: timestamped({ EventType: EventType.GenericEvent, EventId: -1 }, now),
      });
    }
    if (accepted.length === 0) {
      if (suspension.history.length > 0 || stillPending.length !== pending.length)
        await this.#storeWithoutRun(loaded, suspension.history, stillPending, idleStatus, now);
      return void (await done());
    }

    const decision = await this.#invokeOrchestrator(loaded, suspension.history, accepted, now);
    decision.state = withPending(decision.state, stillPending);
    await this.#apply(loaded, [...suspension.history, ...accepted], decision, now, done);
  }

  /** `changes` are the episode's suspend and resume events, which the replay passes over. */
  async #invokeOrchestrator(
    loaded: Loaded,
    changes: HistoryEvent[],
    accepted: HistoryEvent[],
    now: Date
  ): Promise<EpisodeDecision> {
    const { record, history } = loaded;
    const identity: InstanceIdentity = {
      instanceId: record.instanceId,
      executionId: record.executionId,
      name: record.name,
      parent: record.parent,
    };
    const orchestratorStarted = timestamped({ EventType: EventType.OrchestratorStarted, EventId: -1 }, now);
    const fn = this.#orchestrators.get(record.name.toLowerCase());
    const base = { identity, state: record.state, accepted, history, now };
    if (!fn) {
      const failure = `The orchestrator function '${record.name}' is not registered in this app.`;
      return decideEpisode({ ...base, result: { isDone: false, actions: [] }, failure });
    }
    const payload = {
      history: [...history, orchestratorStarted, ...changes, ...accepted],
      input: JSON.parse(record.input) as unknown,
      instanceId: record.instanceId,
      isReplaying: history.length > 0,
      parentInstanceId: record.parent?.InstanceId,
      upperSchemaVersion: 3,
      // Timers of any length are plain timers here: the engine re-arms long ones itself.
      maximumShortTimerDuration: '3650.00:00:00',
      longRunningTimerIntervalDuration: '3.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    try {
      const outcome = await this.options.runtime.invoker.invoke(fn, {
        data: { string: JSON.stringify(payload) },
      });
      const result = fromTypedData(outcome.returnValue) as OrchestratorState;
      return decideEpisode({ ...base, result });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const label = message.indexOf(failureDataLabel);
      if (label < 0)
        return decideEpisode({
          ...base,
          result: { isDone: false, actions: [] },
          failure: describeError(err),
        });
      // The library attaches its state to the error; the user's error message is in `state.error`.
      const result = JSON.parse(message.slice(label + failureDataLabel.length)) as OrchestratorState;
      return decideEpisode({ ...base, result, failure: result.error ?? message.slice(0, label) });
    }
  }

  /**
   * Stores the episode and sends what it decided, then acknowledges the messages it took. On a store
   * that writes in order, every write is issued at once in that order and awaited together: a crash
   * keeps a prefix of them, so the messages still come before the history that counts on them, and
   * the acknowledgements land in the same group commit as the episode (taken exactly once).
   */
  async #apply(
    loaded: Loaded,
    accepted: HistoryEvent[],
    decision: EpisodeDecision,
    now: Date,
    acknowledge: () => Promise<unknown>
  ): Promise<void> {
    const { record } = loaded;
    const inOrder = this.options.store.writesInOrder;
    const newEvents = [
      timestamped({ EventType: EventType.OrchestratorStarted, EventId: -1 }, now),
      ...accepted,
      ...decision.history,
      timestamped({ EventType: EventType.OrchestratorCompleted, EventId: -1 }, now),
    ];
    const continued = decision.outbound.find((out) => out.kind === 'continue-as-new');
    const nextExecution = continued && {
      executionId: newId(),
      input: continued.input,
      carried: continued.carriedEvents,
    };
    const localWork: ReceivedMessage<WorkItem>[] = [];
    // A child's start is two writes (row, then message): it must be stored before the episode.
    const starts = decision.outbound.filter((out) => out.kind === 'start-suborchestration');
    const others = decision.outbound.filter((out) => out.kind !== 'start-suborchestration');
    const concurrency = inOrder ? Infinity : outboundConcurrency;
    const send = (outbound: typeof decision.outbound) =>
      forEachLimited(outbound, concurrency, async (out) => {
        switch (out.kind) {
          case 'activity': {
            // Sent invisible and run here at once; if this host dies first, it becomes visible
            // after the lease and the work-item loop (here or on another start) picks it up.
            const body: WorkItem = {
              instanceId: record.instanceId,
              executionId: record.executionId,
              taskId: out.taskId,
              name: out.name,
              input: out.input,
            };
            const lease = this.options.settings.workItemVisibilitySeconds * 1000;
            const sent = await this.options.store.send<WorkItem>('workItems', body, lease);
            localWork.push({ ...sent, dequeueCount: 1, body });
            break;
          }
          case 'timer':
            await this.#sendControl(
              {
                instanceId: record.instanceId,
                executionId: record.executionId,
                event: timestamped(
                  { EventType: EventType.TimerFired, EventId: -1, TimerId: out.timerId, FireAt: out.fireAt },
                  now
                ),
              },
              Date.parse(out.fireAt) - now.getTime()
            );
            break;
          case 'start-suborchestration':
            await this.#startSubOrchestration(out.name, out.instanceId, out.input, out.parent, now);
            break;
          case 'to-parent':
            await this.#sendControl({
              instanceId: out.parent.InstanceId,
              executionId: out.parent.ExecutionId,
              event: out.event,
            });
            break;
          case 'to-self':
            await this.#sendControl({
              instanceId: record.instanceId,
              executionId: record.executionId,
              event: out.event,
            });
            break;
          case 'send':
            await this.#sendControl(out.message);
            break;
          case 'http':
            // Performed by the engine's HTTP caller when the work-item loop receives it.
            await this.options.store.send<WorkItem>('workItems', {
              instanceId: record.instanceId,
              executionId: record.executionId,
              taskId: out.taskId,
              name: httpActivityName,
              input: out.input,
            });
            break;
          case 'continue-as-new':
            break;
        }
      });
    await send(starts);
    const sending = send(others);
    if (!inOrder) await sending;

    const outcome = decision.outcome;
    const updated: InstanceRecord = {
      ...record,
      runtimeStatus: outcome.status === 'ContinuedAsNew' ? 'Running' : outcome.status,
      output:
        outcome.status === 'Completed'
          ? JSON.stringify(outcome.output ?? null)
          : outcome.status === 'Failed'
            ? JSON.stringify(outcome.error)
            : 'null',
      customStatus: JSON.stringify(outcome.customStatus ?? null),
      lastUpdatedTime: now.toISOString(),
      state: decision.state,
      historyCount: record.historyCount + newEvents.length,
    };
    const committing = this.options.store.commitEpisode(
      record.instanceId,
      record.executionId,
      record.historyCount,
      newEvents,
      checkpointOf(updated)
    );
    if (!inOrder) await committing;
    if (nextExecution) {
      Object.assign(updated, {
        executionId: nextExecution.executionId,
        input: nextExecution.input,
        state: newExecutionState(),
        historyCount: 0,
      });
    }
    const rowChanged =
      nextExecution !== undefined ||
      updated.runtimeStatus !== record.runtimeStatus ||
      updated.customStatus !== record.customStatus ||
      updated.output !== record.output;
    const writingRow = rowChanged ? this.options.store.writeInstance(updated, record.etag) : undefined;
    const acknowledging = inOrder ? acknowledge() : undefined;
    // Every write is awaited, failed or not, so that none is left rejected unobserved.
    await allOrFirstError([sending, committing, writingRow, acknowledging]);
    if (writingRow) updated.etag = await writingRow;
    this.#keep(updated, nextExecution ? [] : [...loaded.history, ...newEvents]);
    for (const item of localWork) this.options.activities.start(item);

    if (nextExecution) {
      await this.#sendControl({
        instanceId: record.instanceId,
        executionId: nextExecution.executionId,
        event: timestamped(
          {
            EventType: EventType.ExecutionStarted,
            EventId: -1,
            Name: record.name,
            Input: nextExecution.input,
            ParentInstance: record.parent,
          },
          now
        ),
      });
      for (const event of nextExecution.carried)
        await this.#sendControl({ instanceId: record.instanceId, event });
      void this.options.store
        .deleteHistory(record.instanceId, nextExecution.executionId)
        .catch(() => undefined);
    }
    if (!inOrder) await acknowledge();
  }

  /**
   * Stores a suspension change, or events kept for later, without running the orchestrator: the
   * change as an episode of its own in the history, the kept events in the execution state.
   */
  async #storeWithoutRun(
    loaded: Loaded,
    changes: HistoryEvent[],
    pending: HistoryEvent[],
    runtimeStatus: RuntimeStatus,
    now: Date
  ) {
    const { record } = loaded;
    const events =
      changes.length === 0
        ? []
        : [
            timestamped({ EventType: EventType.OrchestratorStarted, EventId: -1 }, now),
            ...changes,
            timestamped({ EventType: EventType.OrchestratorCompleted, EventId: -1 }, now),
          ];
    const updated: InstanceRecord = {
      ...record,
      runtimeStatus,
      lastUpdatedTime: events.length > 0 ? now.toISOString() : record.lastUpdatedTime,
      state: withPending(record.state, pending),
      historyCount: record.historyCount + events.length,
    };
    await this.options.store.commitEpisode(
      record.instanceId,
      record.executionId,
      record.historyCount,
      events,
      checkpointOf(updated)
    );
    if (updated.runtimeStatus !== record.runtimeStatus)
      updated.etag = await this.options.store.writeInstance(updated, record.etag);
    this.#keep(updated, [...loaded.history, ...events]);
  }

  async #startSubOrchestration(
    name: string,
    instanceId: string,
    input: string,
    parent: ParentInstance,
    now: Date
  ) {
    try {
      await this.options.startNew(name, instanceId, input, parent);
    } catch (err) {
      // The parent learns at once that its child could not start, as with a failed child.
      const reason = describeError(err).split('\n')[0] ?? 'The sub-orchestration could not start.';
      await this.#sendControl({
        instanceId: parent.InstanceId,
        executionId: parent.ExecutionId,
        event: timestamped(
          {
            EventType: EventType.SubOrchestrationInstanceFailed,
            EventId: -1,
            TaskScheduledId: parent.TaskScheduleId,
            Reason: reason,
            Details: reason,
          },
          now
        ),
      });
    }
  }

  async #terminateNow(loaded: Loaded, event: HistoryEvent, now: Date) {
    const { record } = loaded;
    const events = [
      timestamped({ EventType: EventType.OrchestratorStarted, EventId: -1 }, now),
      event,
      timestamped(
        {
          EventType: EventType.ExecutionCompleted,
          EventId: -1,
          OrchestrationStatus: 'Terminated',
          Result: event.Input,
        },
        now
      ),
      timestamped({ EventType: EventType.OrchestratorCompleted, EventId: -1 }, now),
    ];
    const updated: InstanceRecord = {
      ...record,
      runtimeStatus: 'Terminated',
      output: event.Input ?? 'null',
      lastUpdatedTime: now.toISOString(),
      historyCount: record.historyCount + events.length,
    };
    await this.options.store.commitEpisode(
      record.instanceId,
      record.executionId,
      record.historyCount,
      events,
      checkpointOf(updated)
    );
    updated.etag = await this.options.store.writeInstance(updated, record.etag);
    this.#keep(updated, [...loaded.history, ...events]);
    if (record.parent) {
      const reason = `Sub-orchestration '${record.instanceId}' was terminated: ${event.Input ?? ''}`;
      await this.#sendControl({
        instanceId: record.parent.InstanceId,
        executionId: record.parent.ExecutionId,
        event: timestamped(
          {
            EventType: EventType.SubOrchestrationInstanceFailed,
            EventId: -1,
            TaskScheduledId: record.parent.TaskScheduleId,
            Reason: reason,
            Details: reason,
          },
          now
        ),
      });
    }
  }
}

/** The state with `pending` as its kept events (none: no `pending` at all, as before suspension existed). */
function withPending(state: ExecutionState, pending: HistoryEvent[]): ExecutionState {
  const copy: ExecutionState = { ...state, pending };
  if (pending.length === 0) delete copy.pending;
  return copy;
}

async function allOrFirstError(writes: (Promise<unknown> | undefined)[]): Promise<void> {
  const settled = await Promise.allSettled(writes.map((write) => write ?? Promise.resolve()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Outbound messages of one episode go out this many at a time: a fan-out of 1,000 is 1,000 sends. */
const outboundConcurrency = 16;

async function forEachLimited<T>(items: T[], limit: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
