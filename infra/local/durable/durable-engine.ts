import { randomUUID } from 'crypto';
import { odata } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';
import type { RegisteredFunction } from '../host/function-registry';
import type { HostExtension, HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { timeSpanMs } from '../host/host-settings';
import { fromTypedData } from '../host/typed-data';
import {
  DurableStore,
  type ExecutionCheckpoint,
  type ControlMessage,
  type InstanceRecord,
  type ReceivedMessage,
  type RuntimeStatus,
  type WorkItem,
} from './durable-store';
import {
  decideEpisode,
  newExecutionState,
  selectEvents,
  timestamped,
  type EpisodeDecision,
  type InstanceIdentity,
} from './episode';
import { EventType, type HistoryEvent, type OrchestratorState, type ParentInstance } from './history';
import { registerDurableHttpApi } from './durable-http-api';

export class UnknownOrchestratorError extends Error {}
export class InstanceExistsError extends Error {}
export class InstanceNotFoundError extends Error {}
export class InstanceNotRunningError extends Error {}

const failureDataLabel = '\n\n$OutOfProcData$:';
const activeStatuses: RuntimeStatus[] = ['Pending', 'Running'];

interface DurableSettings {
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
interface Delivery {
  key: string;
  instanceId: string;
  executionId?: string;
  event: HistoryEvent;
  ack(): Promise<void>;
}

export interface StatusQuery {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  instanceIdPrefix?: string;
  pageSize: number;
  continuationToken?: string;
}

/**
 * The local host's Durable Task engine: runs `df.app.orchestration` and `df.app.activity` functions
 * through `durable-functions`' own replay, with history and messages in Azure Storage (Azurite).
 * One episode at a time per instance; every message is deleted only after its effects are stored,
 * so a killed host resumes every instance on restart (activities are at-least-once, as in Azure).
 */
export class DurableEngine implements HostExtension {
  readonly name = 'durable';
  readonly triggerTypes = ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'];
  #runtime!: HostRuntime;
  #store!: DurableStore;
  #settings!: DurableSettings;
  #orchestrators = new Map<string, RegisteredFunction>();
  #activities = new Map<string, RegisteredFunction>();
  #inbox = new Map<string, Delivery[]>();
  #localWork: ReceivedMessage<WorkItem>[] = [];
  #running = new Set<string>();
  #cache = new Map<string, { record: InstanceRecord; history: HistoryEvent[] }>();
  #activeEpisodes = 0;
  #activeActivities = 0;
  #stopping = false;
  #loops: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  #inFlight = new Set<Promise<unknown>>();

  constructor(private readonly functionsKey: string) {}

  attach(runtime: HostRuntime): void {
    this.#runtime = runtime;
    const durable = runtime.settings.durableTask;
    const storageProvider = (durable.storageProvider ?? {}) as Record<string, unknown>;
    this.#settings = {
      hubName: typeof durable.hubName === 'string' ? durable.hubName : 'TestHubName',
      maxConcurrentActivities: numberOr(durable.maxConcurrentActivityFunctions, 10),
      maxConcurrentOrchestrations: numberOr(durable.maxConcurrentOrchestratorFunctions, 10),
      controlVisibilitySeconds: Math.ceil(
        timeSpanMs(storageProvider.controlQueueVisibilityTimeout, 60_000) / 1000
      ),
      workItemVisibilitySeconds: Math.ceil(
        timeSpanMs(storageProvider.workItemQueueVisibilityTimeout, 60_000) / 1000
      ),
      maxPollingMs: timeSpanMs(storageProvider.maxQueuePollingInterval, 1000),
    };
    this.#store = new DurableStore(runtime.clients, undefined, this.#settings.hubName);
    runtime.invoker.inputResolvers.set('durableclient', () =>
      Promise.resolve({ json: JSON.stringify(this.clientData()) })
    );
    registerDurableHttpApi(runtime.http, this);
  }

  get hubName(): string {
    return this.#settings.hubName;
  }

  async start(functions: RegisteredFunction[]): Promise<void> {
    for (const fn of functions) {
      const type = (fn.trigger.type ?? '').toLowerCase();
      if (type === 'orchestrationtrigger') this.#orchestrators.set(fn.name.toLowerCase(), fn);
      else if (type === 'activitytrigger') this.#activities.set(fn.name.toLowerCase(), fn);
      else
        this.#runtime.logger.log(
          'warning',
          `[durable] ${fn.name}: entity functions are not run by the local host`
        );
    }
    // The library rewrites client URLs to localhost:7071 unless it knows the site's host name.
    process.env.WEBSITE_HOSTNAME ??= new URL(this.#runtime.http.url).host;
    await this.#store.init();
    this.#loops = [this.#controlLoop(), this.#workItemLoop()];
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#wakers) wake();
    await Promise.all(this.#loops);
    await Promise.race([Promise.all([...this.#inFlight]), sleep(graceMs)]);
  }

  /** The `durableClient` input binding: what `df.getClient(context)` reads. */
  clientData(): Record<string, unknown> {
    const origin = this.#runtime.http.url;
    const base = `${origin}/runtime/webhooks/durabletask`;
    const query = `taskHub=${encodeURIComponent(this.hubName)}&connection=Storage&code=${encodeURIComponent(this.functionsKey)}`;
    const instance = `${base}/instances/INSTANCEID`;
    return {
      taskHubName: this.hubName,
      creationUrls: {
        createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
        createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
      },
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${instance}?${query}`,
        sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
        terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
        rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
        purgeHistoryDeleteUri: `${instance}?${query}`,
        restartPostUri: `${instance}/restart?${query}`,
        suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
        resumePostUri: `${instance}/resume?reason={text}&${query}`,
      },
      baseUrl: base,
      requiredQueryStringParameters: query,
      rpcBaseUrl: `${origin}/durabletask/`,
    };
  }

  // ---- client operations (the Durable HTTP API calls these) ----

  async startNew(
    name: string,
    instanceId: string | undefined,
    input: string,
    parent?: ParentInstance
  ): Promise<string> {
    const fn = this.#orchestrators.get(name.toLowerCase());
    if (!fn)
      throw new UnknownOrchestratorError(
        `The function '${name}' doesn't exist or is not an orchestrator function.`
      );
    const id = instanceId || randomUUID().replace(/-/g, '');
    const now = new Date().toISOString();
    const record: InstanceRecord = {
      instanceId: id,
      name: fn.name,
      executionId: randomUUID().replace(/-/g, ''),
      runtimeStatus: 'Pending',
      input: input || 'null',
      output: 'null',
      customStatus: 'null',
      createdTime: now,
      lastUpdatedTime: now,
      parent,
      state: newExecutionState(),
      historyCount: 0,
    };
    // Create first: a new id costs one write; an id in use is read only on the conflict.
    const existing = await this.#store.createInstance(record).then(
      () => undefined,
      async (err: { statusCode?: number }) => {
        if (err.statusCode !== 409) throw err;
        return this.#store.readInstance(id);
      }
    );
    if (existing) {
      if (activeStatuses.includes(existing.runtimeStatus)) {
        throw new InstanceExistsError(
          `An instance with ID '${id}' already exists and is ${existing.runtimeStatus}.`
        );
      }
      await this.#store.writeInstance(record, existing.etag).catch((err: { statusCode?: number }) => {
        if (err.statusCode === 412)
          throw new InstanceExistsError(`An instance with ID '${id}' was just started.`);
        throw err;
      });
    }
    this.#cache.delete(id);
    if (existing) void this.#store.deleteHistory(id, record.executionId).catch(() => undefined);
    await this.#sendControl({
      instanceId: id,
      executionId: record.executionId,
      event: timestamped(
        {
          EventType: EventType.ExecutionStarted,
          EventId: -1,
          Name: fn.name,
          Input: record.input,
          ParentInstance: parent,
        },
        new Date()
      ),
    });
    return id;
  }

  /** The instance as its latest stored episode left it (the row lags while the status holds). */
  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    const record = await this.#store.readInstance(instanceId);
    if (!record || !activeStatuses.includes(record.runtimeStatus)) return record;
    const checkpoint = await this.#store.readCheckpoint(instanceId, record.executionId);
    return checkpoint ? withCheckpoint(record, checkpoint) : record;
  }

  async getHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    return (await this.#store.readExecution(record.instanceId, record.executionId)).history;
  }

  async list(query: StatusQuery) {
    const clauses: string[] = [];
    if (query.runtimeStatus?.length) {
      clauses.push(`(${query.runtimeStatus.map((s) => odata`RuntimeStatus eq ${s}`).join(' or ')})`);
    }
    if (query.createdTimeFrom) clauses.push(odata`CreatedTime ge ${query.createdTimeFrom.toISOString()}`);
    if (query.createdTimeTo) clauses.push(odata`CreatedTime le ${query.createdTimeTo.toISOString()}`);
    if (query.instanceIdPrefix) {
      clauses.push(
        odata`PartitionKey ge ${query.instanceIdPrefix} and PartitionKey lt ${query.instanceIdPrefix + '\uffff'}`
      );
    }
    return this.#store.listInstances(
      clauses.join(' and ') || undefined,
      query.pageSize,
      query.continuationToken
    );
  }

  async raiseEvent(instanceId: string, eventName: string, data: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#sendControl({
      instanceId,
      event: timestamped(
        { EventType: EventType.EventRaised, EventId: -1, Name: eventName, Input: data || 'null' },
        new Date()
      ),
    });
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#sendControl({
      instanceId,
      event: timestamped(
        { EventType: EventType.ExecutionTerminated, EventId: -1, Input: JSON.stringify(reason) },
        new Date()
      ),
    });
  }

  async purge(instanceId: string): Promise<boolean> {
    const record = await this.#store.readInstance(instanceId);
    if (!record) return false;
    await this.#store.deleteHistory(instanceId);
    await this.#store.deleteInstance(instanceId);
    this.#cache.delete(instanceId);
    return true;
  }

  async #requireActive(instanceId: string): Promise<InstanceRecord> {
    const record = await this.#store.readInstance(instanceId);
    if (!record) throw new InstanceNotFoundError(`No instance with ID '${instanceId}'.`);
    if (!activeStatuses.includes(record.runtimeStatus)) {
      throw new InstanceNotRunningError(`Instance '${instanceId}' is ${record.runtimeStatus}.`);
    }
    return record;
  }

  // ---- dispatch ----

  async #sendControl(message: ControlMessage, delayMs = 0): Promise<void> {
    await this.#store.send(this.#store.control, message, delayMs);
  }

  #controlLoop(): Promise<void> {
    return this.#pollLoop<ControlMessage>(
      this.#store.control,
      () => (this.#activeEpisodes < this.#settings.maxConcurrentOrchestrations ? 32 : 0),
      this.#settings.controlVisibilitySeconds,
      (message) =>
        this.#deliver({
          key: message.messageId,
          instanceId: message.body.instanceId,
          executionId: message.body.executionId,
          event: message.body.event,
          ack: () => this.#store.deleteMessage(this.#store.control, message),
        })
    );
  }

  #workItemLoop(): Promise<void> {
    return this.#pollLoop<WorkItem>(
      this.#store.workItems,
      () => this.#settings.maxConcurrentActivities - this.#activeActivities,
      this.#settings.workItemVisibilitySeconds,
      (item) => this.#startActivity(item)
    );
  }

  #deliver(delivery: Delivery): void {
    const inbox = this.#inbox.get(delivery.instanceId) ?? [];
    if (!inbox.some((d) => d.key === delivery.key)) inbox.push(delivery);
    this.#inbox.set(delivery.instanceId, inbox);
    this.#schedule(delivery.instanceId);
  }

  /** Receives while there is capacity, backing off (up to maxQueuePollingInterval) when idle. */
  async #pollLoop<T>(
    queue: QueueClient,
    capacity: () => number,
    visibilitySeconds: number,
    handle: (message: ReceivedMessage<T>) => void
  ): Promise<void> {
    let idleMs = 20;
    while (!this.#stopping) {
      const free = capacity();
      if (free <= 0) {
        await this.#wait(100);
        continue;
      }
      let messages: ReceivedMessage<T>[] = [];
      try {
        messages = await this.#store.receive<T>(queue, free, visibilitySeconds);
      } catch (err) {
        this.#runtime.logger.log('warning', `[durable] ${queue.name}: ${describeError(err)}`);
      }
      if (messages.length === 0) {
        await this.#wait(idleMs);
        idleMs = Math.min(idleMs * 2, this.#settings.maxPollingMs);
        continue;
      }
      idleMs = 20;
      for (const message of messages) handle(message);
    }
  }

  #schedule(instanceId: string): void {
    if (this.#running.has(instanceId) || this.#stopping) return;
    const messages = this.#inbox.get(instanceId);
    if (!messages || messages.length === 0) return;
    this.#inbox.delete(instanceId);
    this.#running.add(instanceId);
    this.#activeEpisodes++;
    const work = this.#runEpisode(instanceId, messages)
      .catch((err) =>
        this.#runtime.logger.log('error', `[durable] ${instanceId}: episode failed: ${describeError(err)}`)
      )
      .finally(() => {
        this.#running.delete(instanceId);
        this.#activeEpisodes--;
        this.#inFlight.delete(work);
        this.#schedule(instanceId);
        for (const wake of this.#wakers) wake();
      });
    this.#inFlight.add(work);
  }

  async #load(instanceId: string): Promise<{ record: InstanceRecord; history: HistoryEvent[] } | undefined> {
    const cached = this.#cache.get(instanceId);
    if (cached) return cached;
    let record = await this.#store.readInstance(instanceId);
    if (!record) return undefined;
    const { history, checkpoint } = await this.#store.readExecution(instanceId, record.executionId);
    if (checkpoint) {
      const stale = checkpoint.runtimeStatus !== record.runtimeStatus;
      record = withCheckpoint(record, checkpoint);
      // The host stopped between storing an episode that changed the status and updating the row.
      if (stale) record.etag = await this.#store.writeInstance(record, record.etag);
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
      if (stale || !activeStatuses.includes(record.runtimeStatus)) consumed.push(message);
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

    const start = current.find((m) => m.event.EventType === EventType.ExecutionStarted);
    const started = loaded.history.some((e) => e.EventType === EventType.ExecutionStarted);
    if (!started && !start) return; // events for an instance whose start message is still on its way
    if (start) consumed.push(start);
    const others = current.filter((m) => m.event.EventType !== EventType.ExecutionStarted);
    const selection = selectEvents(
      record.state,
      others.map((m) => m.event)
    );
    for (const m of others) {
      if (selection.accepted.includes(m.event) || selection.duplicates.includes(m.event)) consumed.push(m);
    }
    const accepted = [...(start && !started ? [start.event] : []), ...selection.accepted];
    if (accepted.length === 0) return void (await done());

    const decision = await this.#invokeOrchestrator(loaded, accepted, now);
    await this.#apply(loaded, accepted, decision, now);
    await done();
  }

  async #invokeOrchestrator(
    loaded: { record: InstanceRecord; history: HistoryEvent[] },
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
      history: [...history, orchestratorStarted, ...accepted],
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
      const outcome = await this.#runtime.invoker.invoke(fn, { data: { string: JSON.stringify(payload) } });
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

  async #apply(
    loaded: { record: InstanceRecord; history: HistoryEvent[] },
    accepted: HistoryEvent[],
    decision: EpisodeDecision,
    now: Date
  ): Promise<void> {
    const { record } = loaded;
    const newEvents = [
      timestamped({ EventType: EventType.OrchestratorStarted, EventId: -1 }, now),
      ...accepted,
      ...decision.history,
      timestamped({ EventType: EventType.OrchestratorCompleted, EventId: -1 }, now),
    ];
    let nextExecution: { executionId: string; input: string; carried: HistoryEvent[] } | undefined;
    const localWork: ReceivedMessage<WorkItem>[] = [];
    await forEachLimited(decision.outbound, outboundConcurrency, async (out) => {
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
          const lease = this.#settings.workItemVisibilitySeconds * 1000;
          const sent = await this.#store.send<WorkItem>(this.#store.workItems, body, lease);
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
        case 'continue-as-new':
          nextExecution = {
            executionId: randomUUID().replace(/-/g, ''),
            input: out.input,
            carried: out.carriedEvents,
          };
          break;
      }
    });

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
    await this.#store.commitEpisode(
      record.instanceId,
      record.executionId,
      record.historyCount,
      newEvents,
      checkpointOf(updated)
    );
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
    if (rowChanged) updated.etag = await this.#store.writeInstance(updated, record.etag);
    this.#cache.set(record.instanceId, {
      record: updated,
      history: nextExecution ? [] : [...loaded.history, ...newEvents],
    });
    for (const item of localWork) this.#startActivity(item);

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
      void this.#store.deleteHistory(record.instanceId, nextExecution.executionId).catch(() => undefined);
    }
  }

  async #startSubOrchestration(
    name: string,
    instanceId: string,
    input: string,
    parent: ParentInstance,
    now: Date
  ) {
    try {
      await this.startNew(name, instanceId, input, parent);
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

  async #terminateNow(
    loaded: { record: InstanceRecord; history: HistoryEvent[] },
    event: HistoryEvent,
    now: Date
  ) {
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
    await this.#store.commitEpisode(
      record.instanceId,
      record.executionId,
      record.historyCount,
      events,
      checkpointOf(updated)
    );
    updated.etag = await this.#store.writeInstance(updated, record.etag);
    this.#cache.set(record.instanceId, { record: updated, history: [...loaded.history, ...events] });
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

  /** Runs a work item now if a slot is free, else keeps it for the work-item loop. */
  #startActivity(item: ReceivedMessage<WorkItem>): void {
    if (this.#activeActivities >= this.#settings.maxConcurrentActivities) {
      this.#localWork.push(item);
      return;
    }
    this.#activeActivities++;
    const work = this.#runActivity(item)
      .catch((err) =>
        this.#runtime.logger.log('error', `[durable] activity ${item.body.name}: ${describeError(err)}`)
      )
      .finally(() => {
        this.#activeActivities--;
        this.#inFlight.delete(work);
        const next = this.#localWork.shift();
        if (next && !this.#stopping) this.#startActivity(next);
        for (const wake of this.#wakers) wake();
      });
    this.#inFlight.add(work);
  }

  async #runActivity(item: ReceivedMessage<WorkItem>): Promise<void> {
    const { instanceId, executionId, taskId, name, input } = item.body;
    const fn = this.#activities.get(name.toLowerCase());
    const now = () => new Date();
    let event: HistoryEvent;
    const renew = setInterval(
      () => {
        this.#store.workItems
          .updateMessage(item.messageId, item.popReceipt, undefined, this.#settings.workItemVisibilitySeconds)
          .then((r) => {
            if (r.popReceipt) item.popReceipt = r.popReceipt;
          })
          .catch(() => undefined);
      },
      (this.#settings.workItemVisibilitySeconds * 1000) / 2
    );
    renew.unref();
    try {
      if (!fn) throw new Error(`The activity function '${name}' is not registered in this app.`);
      const outcome = await this.#runtime.invoker.invoke(fn, { data: { json: input } });
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
    // The result goes straight to the instance's inbox; the work item is deleted once the episode
    // that takes the result is stored.
    this.#deliver({
      key: `work:${item.messageId}`,
      instanceId,
      executionId,
      event,
      ack: () => this.#store.deleteMessage(this.#store.workItems, item),
    });
  }

  #wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }
}

function checkpointOf(record: InstanceRecord): ExecutionCheckpoint {
  const { state, historyCount, runtimeStatus, output, customStatus, lastUpdatedTime } = record;
  return { state, historyCount, runtimeStatus, output, customStatus, lastUpdatedTime };
}

function withCheckpoint(record: InstanceRecord, checkpoint: ExecutionCheckpoint): InstanceRecord {
  return { ...record, ...checkpoint };
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

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
