import type { RegisteredFunction } from '../host/function-registry';
import {
  activeStatuses,
  checkpointOf,
  InstanceExistsError,
  InstanceNotFailedError,
  InstanceNotFoundError,
  InstanceNotRunningError,
  newId,
  UnknownOrchestratorError,
  withCheckpoint,
} from './durable-common';
import {
  StoreConflictError,
  type InstanceRecord,
  type StatusQuery,
  type TaskHubStore,
} from './task-hub-store';
import { timestamped, newExecutionState } from './episode';
import { EventType, type HistoryEvent, type ParentInstance } from './history';
import { isEntityInstance } from './entity-protocol';
import { rewindExecution } from './rewind';

export interface DurableClientOptions {
  store: TaskHubStore;
  functionsKey: string;
  /** The host's origin (`http://127.0.0.1:7071`), known once it listens. */
  origin: () => string;
  orchestrator: (name: string) => RegisteredFunction | undefined;
  /** Drops what the episode runner holds in memory of an instance that starts over or is purged. */
  forget: (instanceId: string) => void;
}

/**
 * The client side of the engine: what the Durable HTTP API and `df.getClient` do to instances
 * (start, status, list, raise an event, suspend, resume, terminate, purge). It writes instance rows
 * and control messages; the episode runner does the rest.
 */
/** A Pending instance that has not run for this long is taken for a start a crash cut short. */
const cutShortStartMs = 10_000;

export class DurableClient {
  constructor(private readonly options: DurableClientOptions) {}

  get hubName(): string {
    return this.options.store.hubName;
  }

  /** The `durableClient` input binding: what `df.getClient(context)` reads. */
  clientData(): Record<string, unknown> {
    const origin = this.options.origin();
    const base = `${origin}/runtime/webhooks/durabletask`;
    const query = `taskHub=${encodeURIComponent(this.hubName)}&connection=Storage&code=${encodeURIComponent(this.options.functionsKey)}`;
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

  async startNew(
    name: string,
    instanceId: string | undefined,
    input: string,
    parent?: ParentInstance
  ): Promise<string> {
    const { store } = this.options;
    const fn = this.options.orchestrator(name);
    if (!fn)
      throw new UnknownOrchestratorError(
        `The function '${name}' doesn't exist or is not an orchestrator function.`
      );
    const id = instanceId || newId();
    const now = new Date().toISOString();
    const record: InstanceRecord = {
      instanceId: id,
      name: fn.name,
      executionId: newId(),
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
    const existing = await store.createInstance(record).then(
      () => undefined,
      async (err: unknown) => {
        if (!(err instanceof StoreConflictError)) throw err;
        return store.readInstance(id);
      }
    );
    if (
      existing?.runtimeStatus === 'Pending' &&
      existing.historyCount === 0 &&
      Date.now() - Date.parse(existing.createdTime) > cutShortStartMs
    ) {
      // A start that stopped between its row and its message (the host was killed): the row is
      // there, the message may not be. Send it again (the runner ignores a second ExecutionStarted);
      // the caller is still told the instance exists, as for any instance in use.
      await this.#sendStarted(id, existing.executionId, existing.name, existing.input, existing.parent);
    }
    if (existing) {
      if (activeStatuses.includes(existing.runtimeStatus)) {
        throw new InstanceExistsError(
          `An instance with ID '${id}' already exists and is ${existing.runtimeStatus}.`
        );
      }
      await store.writeInstance(record, existing.etag).catch((err: unknown) => {
        if (err instanceof StoreConflictError)
          throw new InstanceExistsError(`An instance with ID '${id}' was just started.`);
        throw err;
      });
    }
    this.options.forget(id);
    if (existing) void store.deleteHistory(id, record.executionId).catch(() => undefined);
    await this.#sendStarted(id, record.executionId, fn.name, record.input, parent);
    return id;
  }

  async #sendStarted(
    instanceId: string,
    executionId: string,
    name: string,
    input: string,
    parent: ParentInstance | undefined
  ): Promise<void> {
    const { store } = this.options;
    await store.send('control', {
      instanceId,
      executionId,
      event: timestamped(
        {
          EventType: EventType.ExecutionStarted,
          EventId: -1,
          Name: name,
          Input: input,
          ParentInstance: parent,
        },
        new Date()
      ),
    });
  }

  /** The instance as its latest stored episode left it (the row lags while the status holds). */
  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    const { store } = this.options;
    const record = await store.readInstance(instanceId);
    if (!record || !activeStatuses.includes(record.runtimeStatus)) return record;
    const checkpoint = await store.readCheckpoint(instanceId, record.executionId);
    return checkpoint ? withCheckpoint(record, checkpoint) : record;
  }

  async getHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    return (await this.options.store.readExecution(record.instanceId, record.executionId)).history;
  }

  /** Orchestration instances; entities are instances too, but listed apart. */
  async list(query: StatusQuery) {
    const page = await this.options.store.listInstances(query);
    return { ...page, items: page.items.filter((r) => !isEntityInstance(r.instanceId)) };
  }

  async raiseEvent(instanceId: string, eventName: string, data: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#sendControl(instanceId, {
      EventType: EventType.EventRaised,
      EventId: -1,
      Name: eventName,
      Input: data || 'null',
    });
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#sendControl(instanceId, {
      EventType: EventType.ExecutionTerminated,
      EventId: -1,
      Input: JSON.stringify(reason),
    });
  }

  /**
   * Suspend and resume go to the instance as messages, so they take effect between its episodes;
   * the episode runner makes a suspend of a suspended instance (or a resume of a running one) a no-op.
   */
  async suspend(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#sendControl(instanceId, {
      EventType: EventType.ExecutionSuspended,
      EventId: -1,
      Reason: reason,
    });
  }

  async resume(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId);
    await this.#sendControl(instanceId, {
      EventType: EventType.ExecutionResumed,
      EventId: -1,
      Reason: reason,
    });
  }

  async purge(instanceId: string): Promise<boolean> {
    const { store } = this.options;
    const record = await store.readInstance(instanceId);
    if (!record) return false;
    await store.deleteHistory(instanceId);
    await store.deleteInstance(instanceId);
    this.options.forget(instanceId);
    return true;
  }

  /** Purges every orchestration instance the filter matches; returns how many went. */
  async purgeWhere(filter: Pick<StatusQuery, 'createdTimeFrom' | 'createdTimeTo' | 'runtimeStatus'>) {
    const ids: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.list({ ...filter, pageSize: 500, continuationToken });
      ids.push(...page.items.map((r) => r.instanceId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    let deleted = 0;
    for (const id of ids) if (await this.purge(id)) deleted++;
    return deleted;
  }

  /** A new execution of the instance's orchestrator with its input, under the same id or a new one. */
  async restart(instanceId: string, withNewInstanceId: boolean): Promise<string> {
    const record = await this.getInstance(instanceId);
    if (!record || isEntityInstance(instanceId))
      throw new InstanceNotFoundError(`No instance with ID '${instanceId}'.`);
    return this.startNew(record.name, withNewInstanceId ? undefined : instanceId, record.input);
  }

  /**
   * Takes a failed instance back to Running: its failed tasks run again (see rewindExecution) and the
   * rest of its history replays as recorded. Without a failed task to run, a wake-up event makes the
   * orchestrator replay (and maybe fail) again.
   */
  async rewind(instanceId: string, reason: string): Promise<void> {
    const { store } = this.options;
    const record = await this.getInstance(instanceId);
    if (!record) throw new InstanceNotFoundError(`No instance with ID '${instanceId}'.`);
    if (record.runtimeStatus !== 'Failed')
      throw new InstanceNotFailedError(
        `The rewind operation is only supported on failed orchestration instances; '${instanceId}' is ${record.runtimeStatus}.`
      );
    const { history } = await store.readExecution(instanceId, record.executionId);
    const plan = rewindExecution(history, record.state, reason);
    const updated: InstanceRecord = {
      ...record,
      runtimeStatus: 'Running',
      output: 'null',
      lastUpdatedTime: new Date().toISOString(),
      state: plan.state,
      historyCount: plan.history.length,
    };
    await store.commitEpisode(instanceId, record.executionId, 0, plan.history, checkpointOf(updated));
    await store.writeInstance(updated, record.etag).catch((err: unknown) => {
      if (err instanceof StoreConflictError)
        throw new InstanceExistsError(`Instance '${instanceId}' changed while it was rewound.`);
      throw err;
    });
    this.options.forget(instanceId);
    const { executionId } = record;
    for (const task of plan.rerun) {
      if (task.kind === 'activity') {
        const { taskId, name, input } = task;
        await store.send('workItems', { instanceId, executionId, taskId, name, input });
      } else {
        const parent = {
          InstanceId: instanceId,
          ExecutionId: executionId,
          TaskScheduleId: task.taskId,
          Name: record.name,
        };
        await this.startNew(task.name, task.instanceId, task.input, parent);
      }
    }
    if (plan.rerun.length === 0)
      await this.#sendControl(instanceId, {
        EventType: EventType.EventRaised,
        EventId: -1,
        Name: '$rewind',
        Input: 'null',
      });
  }

  async #sendControl(instanceId: string, event: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>): Promise<void> {
    const { store } = this.options;
    await store.send('control', { instanceId, event: timestamped(event, new Date()) });
  }

  async #requireActive(instanceId: string): Promise<InstanceRecord> {
    const record = await this.getInstance(instanceId);
    if (!record) throw new InstanceNotFoundError(`No instance with ID '${instanceId}'.`);
    if (!activeStatuses.includes(record.runtimeStatus)) {
      throw new InstanceNotRunningError(`Instance '${instanceId}' is ${record.runtimeStatus}.`);
    }
    return record;
  }
}
