import type { HistoryEvent } from './history';
import { MessageQueue, type StoredMessage } from './message-queue';
import {
  StoreConflictError,
  type ExecutionCheckpoint,
  type InstanceRecord,
  type MessageRef,
  type QueueName,
  type ReceivedMessage,
  type StatusQuery,
  type TaskHubStore,
} from './task-hub-store';
import { WriteAheadJournal } from './write-ahead-journal';

export interface JournaledStoreOptions {
  directory: string;
  hubName: string;
  fsync: boolean;
  /** A snapshot is taken once the journal has grown by this much (default 64 MiB). */
  snapshotBytes?: number;
}

/** One change to the task hub; replaying a change the state already holds leaves it as it was. */
type Change =
  | { op: 'instance'; record: InstanceRecord }
  | { op: 'delete-instance'; instanceId: string }
  | {
      op: 'episode';
      instanceId: string;
      executionId: string;
      from: number;
      events: HistoryEvent[];
      checkpoint: ExecutionCheckpoint;
    }
  | { op: 'delete-history'; instanceId: string; keep?: string }
  | { op: 'send'; queue: QueueName; message: StoredMessage }
  | { op: 'delete-message'; queue: QueueName; messageId: string };

interface Execution {
  history: HistoryEvent[];
  checkpoint?: ExecutionCheckpoint;
}

/** One item of a snapshot. */
type SnapshotItem =
  | { item: 'instance'; record: InstanceRecord }
  | { item: 'execution'; instanceId: string; executionId: string; execution: Execution }
  | { item: 'message'; queue: QueueName; message: StoredMessage }
  | { item: 'sequence'; sequence: number };

/**
 * The task hub in this process, every change appended to a write-ahead journal before its promise
 * resolves (group-committed, one fsync per group), with snapshots: the design Netherite uses with
 * FASTER and its commit log, on one machine. State is in memory, so an episode's reads cost nothing
 * and the engine is told when a message becomes visible instead of polling. On open the snapshot is
 * loaded and the journal replayed; work items leased by the process that died are visible at once,
 * since nobody else can be running them.
 */
export class JournaledTaskHubStore implements TaskHubStore {
  readonly hubName: string;
  readonly writesInOrder = true;
  #journal: WriteAheadJournal<Change, SnapshotItem>;
  #instances = new Map<string, InstanceRecord>();
  #executions = new Map<string, Map<string, Execution>>();
  #queues: Record<QueueName, MessageQueue>;
  #sequence = 0;
  /** The snapshot being written, if any (one at a time). */
  #snapshotting: Promise<void> | undefined;
  #listeners: (() => void)[] = [];
  readonly #snapshotBytes: number;

  constructor(private readonly options: JournaledStoreOptions) {
    this.hubName = options.hubName;
    this.#journal = new WriteAheadJournal<Change, SnapshotItem>({
      directory: options.directory,
      fsync: options.fsync,
    });
    this.#snapshotBytes = options.snapshotBytes ?? 64 * 1024 * 1024;
    const wake = () => {
      for (const listener of this.#listeners) listener();
    };
    this.#queues = { control: new MessageQueue(wake), workItems: new MessageQueue(wake) };
  }

  /** How the last open went: records replayed and journal generations that ended in a torn record. */
  recovery = { records: 0, tornTails: 0 };

  async init(): Promise<void> {
    const recovered = await this.#journal.open();
    for (const item of recovered.snapshot) this.#restore(item);
    for (const change of recovered.records) this.#apply(change);
    this.recovery = { records: recovered.records.length, tornTails: recovered.tornTails };
    this.#queues.workItems.releaseAll(Date.now());
  }

  async close(): Promise<void> {
    this.#queues.control.stop();
    this.#queues.workItems.stop();
    await this.#snapshotting;
    await this.#journal.close();
  }

  onVisible(listener: () => void): void {
    this.#listeners.push(listener);
  }

  readInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    const record = this.#instances.get(instanceId);
    return Promise.resolve(record && structuredClone(record));
  }

  async createInstance(record: InstanceRecord): Promise<string> {
    if (this.#instances.has(record.instanceId))
      throw new StoreConflictError(409, `Instance '${record.instanceId}' exists.`);
    return this.#writeRow(record);
  }

  async writeInstance(record: InstanceRecord, etag?: string): Promise<string> {
    if (etag !== undefined && this.#instances.get(record.instanceId)?.etag !== etag)
      throw new StoreConflictError(412, `Instance '${record.instanceId}' changed meanwhile.`);
    return this.#writeRow(record);
  }

  async deleteInstance(instanceId: string): Promise<void> {
    if (!this.#instances.has(instanceId)) return;
    await this.#change({ op: 'delete-instance', instanceId });
  }

  listInstances(query: StatusQuery): Promise<{ items: InstanceRecord[]; continuationToken?: string }> {
    const from = query.createdTimeFrom?.toISOString();
    const to = query.createdTimeTo?.toISOString();
    const prefix = query.instanceIdPrefix ?? '';
    const after = query.continuationToken
      ? Buffer.from(query.continuationToken, 'base64url').toString('utf8')
      : undefined;
    const ids = [...this.#instances.keys()].filter((id) => id.startsWith(prefix)).sort();
    const items: InstanceRecord[] = [];
    let continuationToken: string | undefined;
    for (const id of ids) {
      if (after !== undefined && id <= after) continue;
      const record = this.#instances.get(id)!;
      if (query.runtimeStatus?.length && !query.runtimeStatus.includes(record.runtimeStatus)) continue;
      if ((from && record.createdTime < from) || (to && record.createdTime > to)) continue;
      if (items.length === query.pageSize) {
        continuationToken = Buffer.from(items[items.length - 1]!.instanceId).toString('base64url');
        break;
      }
      items.push(structuredClone(record));
    }
    return Promise.resolve({ items, continuationToken });
  }

  readExecution(
    instanceId: string,
    executionId: string
  ): Promise<{ history: HistoryEvent[]; checkpoint: ExecutionCheckpoint | undefined }> {
    const execution = this.#executions.get(instanceId)?.get(executionId);
    if (!execution) return Promise.resolve({ history: [], checkpoint: undefined });
    const count = execution.checkpoint?.historyCount ?? 0;
    return Promise.resolve({
      history: execution.history.slice(0, count),
      checkpoint: execution.checkpoint && structuredClone(execution.checkpoint),
    });
  }

  readCheckpoint(instanceId: string, executionId: string): Promise<ExecutionCheckpoint | undefined> {
    const checkpoint = this.#executions.get(instanceId)?.get(executionId)?.checkpoint;
    return Promise.resolve(checkpoint && structuredClone(checkpoint));
  }

  commitEpisode(
    instanceId: string,
    executionId: string,
    from: number,
    events: HistoryEvent[],
    checkpoint: ExecutionCheckpoint
  ): Promise<void> {
    return this.#change({ op: 'episode', instanceId, executionId, from, events, checkpoint });
  }

  async deleteHistory(instanceId: string, keep?: string): Promise<number> {
    const executions = this.#executions.get(instanceId);
    if (!executions) return 0;
    let rows = 0;
    for (const [executionId, execution] of executions)
      if (executionId !== keep) rows += execution.history.length + (execution.checkpoint ? 1 : 0);
    if (rows > 0) await this.#change({ op: 'delete-history', instanceId, keep });
    return rows;
  }

  async send<T>(queue: QueueName, body: T, delayMs = 0): Promise<MessageRef> {
    const message: StoredMessage = {
      id: String(++this.#sequence),
      body,
      visibleAt: Date.now() + Math.max(0, delayMs),
    };
    await this.#change({ op: 'send', queue, message });
    return { messageId: message.id, popReceipt: '0' };
  }

  receive<T>(queue: QueueName, count: number, visibilitySeconds: number): Promise<ReceivedMessage<T>[]> {
    return Promise.resolve(this.#queues[queue].receive<T>(count, visibilitySeconds * 1000, Date.now()));
  }

  renew(queue: QueueName, ref: MessageRef, visibilitySeconds: number): Promise<void> {
    const receipt = this.#queues[queue].renew(ref, visibilitySeconds * 1000, Date.now());
    if (receipt === undefined)
      return Promise.reject(new Error(`Message ${ref.messageId} is gone or leased again.`));
    ref.popReceipt = receipt;
    return Promise.resolve();
  }

  async deleteMessage(queue: QueueName, ref: MessageRef): Promise<void> {
    if (!this.#queues[queue].holds(ref)) return;
    await this.#change({ op: 'delete-message', queue, messageId: ref.messageId });
  }

  async #writeRow(record: InstanceRecord): Promise<string> {
    const etag = String(++this.#sequence);
    await this.#change({ op: 'instance', record: { ...record, etag } });
    return etag;
  }

  /** Applies the change now, so the next read sees it, and resolves once the journal holds it. */
  #change(change: Change): Promise<void> {
    const text = JSON.stringify(change);
    // What is kept is a copy, so that the caller's objects stay the caller's.
    this.#apply(JSON.parse(text) as Change);
    const durable = this.#journal.appendText(text);
    if (!this.#snapshotting && this.#journal.bytesSinceSnapshot > this.#snapshotBytes) {
      this.#snapshotting = this.#journal
        .snapshot(() => this.#snapshotItems())
        .catch(() => undefined)
        .finally(() => (this.#snapshotting = undefined));
    }
    return durable;
  }

  #apply(change: Change): void {
    switch (change.op) {
      case 'instance':
        this.#instances.set(change.record.instanceId, change.record);
        this.#sequence = Math.max(this.#sequence, Number(change.record.etag));
        break;
      case 'delete-instance':
        this.#instances.delete(change.instanceId);
        break;
      case 'episode': {
        const executions = this.#executions.get(change.instanceId) ?? new Map<string, Execution>();
        this.#executions.set(change.instanceId, executions);
        const execution = executions.get(change.executionId) ?? { history: [] };
        executions.set(change.executionId, execution);
        execution.history.length = Math.min(execution.history.length, change.from);
        for (let i = 0; i < change.events.length; i++) execution.history[change.from + i] = change.events[i]!;
        execution.checkpoint = change.checkpoint;
        break;
      }
      case 'delete-history': {
        const executions = this.#executions.get(change.instanceId);
        if (!executions) break;
        for (const executionId of [...executions.keys()])
          if (executionId !== change.keep) executions.delete(executionId);
        if (executions.size === 0) this.#executions.delete(change.instanceId);
        break;
      }
      case 'send':
        this.#queues[change.queue].add(change.message);
        this.#sequence = Math.max(this.#sequence, Number(change.message.id));
        break;
      case 'delete-message':
        this.#queues[change.queue].delete(change.messageId);
        break;
    }
  }

  /**
   * The state as snapshot items, read lazily while the snapshot is written: changes made meanwhile
   * may show in it, which replaying the next generation makes good (every change sets, none adds).
   */
  *#snapshotItems(): Iterable<SnapshotItem> {
    yield { item: 'sequence', sequence: this.#sequence };
    for (const record of [...this.#instances.values()]) yield { item: 'instance', record };
    for (const [instanceId, byId] of [...this.#executions])
      for (const [executionId, execution] of [...byId])
        yield { item: 'execution', instanceId, executionId, execution };
    for (const queue of ['control', 'workItems'] as const)
      for (const message of this.#queues[queue].stored()) yield { item: 'message', queue, message };
  }

  #restore(snapshot: SnapshotItem): void {
    switch (snapshot.item) {
      case 'sequence':
        this.#sequence = Math.max(this.#sequence, snapshot.sequence);
        break;
      case 'instance':
        this.#instances.set(snapshot.record.instanceId, snapshot.record);
        break;
      case 'execution': {
        const byId = this.#executions.get(snapshot.instanceId) ?? new Map<string, Execution>();
        byId.set(snapshot.executionId, snapshot.execution);
        this.#executions.set(snapshot.instanceId, byId);
        break;
      }
      case 'message':
        this.#queues[snapshot.queue].add(snapshot.message);
        break;
    }
  }
}
