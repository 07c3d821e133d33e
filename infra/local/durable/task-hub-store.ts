import type { ExecutionState } from './episode';
import type { HistoryEvent, ParentInstance } from './history';

export type RuntimeStatus =
  'Pending' | 'Running' | 'Suspended' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated';

export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON texts, as the Durable HTTP API reports them. */
  input: string;
  output: string;
  customStatus: string;
  createdTime: string;
  lastUpdatedTime: string;
  parent?: ParentInstance;
  state: ExecutionState;
  /** How many history rows of this execution are committed; rows past it are from an interrupted episode. */
  historyCount: number;
  etag?: string;
}

/**
 * How far an execution got, committed in the same table transaction as its history rows, so an
 * episode's history and its outcome are stored together or not at all. The instance row (what
 * queries list) is rewritten only when the status changes, and repaired from this on load.
 */
export interface ExecutionCheckpoint {
  state: ExecutionState;
  historyCount: number;
  runtimeStatus: RuntimeStatus;
  output: string;
  customStatus: string;
  lastUpdatedTime: string;
}

export interface ControlMessage {
  instanceId: string;
  /** The execution an event belongs to; raised events and terminations target whichever is current. */
  executionId?: string;
  event: HistoryEvent;
}

export interface WorkItem {
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  input: string;
}

/** A received message: its id and the receipt of the current lease, which renewing may change. */
export interface MessageRef {
  messageId: string;
  popReceipt: string;
}

export interface ReceivedMessage<T> extends MessageRef {
  dequeueCount: number;
  body: T;
}

/** Orchestration messages, and activity work items. */
export type QueueName = 'control' | 'workItems';

export interface StatusQuery {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  instanceIdPrefix?: string;
  pageSize: number;
  continuationToken?: string;
}

/** A write that lost a race: the instance exists (409) or changed since it was read (412). */
export class StoreConflictError extends Error {
  constructor(
    readonly statusCode: 409 | 412,
    message: string
  ) {
    super(message);
  }
}

/**
 * Where the engine keeps a task hub: instance rows, each execution's history with the checkpoint
 * that says how much of it counts, and two queues with leases (a received message is invisible for
 * the lease and comes back unless deleted). Implementations: the Azure Storage layout on Azurite,
 * and an in-process store with a write-ahead journal. Every promise resolves only once the write is
 * durable, so the engine may acknowledge what it built on it.
 */
export interface TaskHubStore {
  readonly hubName: string;
  /**
   * Writes become durable in the order they were issued (one journal): when a write is durable, so
   * is every write issued before it. The engine then issues an episode's writes together.
   */
  readonly writesInOrder: boolean;
  init(): Promise<void>;
  close(): Promise<void>;

  readInstance(instanceId: string): Promise<InstanceRecord | undefined>;
  /** Creates the row; StoreConflictError(409) if the id is taken. Returns the new ETag. */
  createInstance(record: InstanceRecord): Promise<string>;
  /** Writes the row; with `etag`, only if nobody changed it since (StoreConflictError(412)). */
  writeInstance(record: InstanceRecord, etag?: string): Promise<string>;
  deleteInstance(instanceId: string): Promise<void>;
  listInstances(query: StatusQuery): Promise<{ items: InstanceRecord[]; continuationToken?: string }>;

  readExecution(
    instanceId: string,
    executionId: string
  ): Promise<{ history: HistoryEvent[]; checkpoint: ExecutionCheckpoint | undefined }>;
  readCheckpoint(instanceId: string, executionId: string): Promise<ExecutionCheckpoint | undefined>;
  /** Stores history rows `from`.. and the checkpoint that makes them count, together. */
  commitEpisode(
    instanceId: string,
    executionId: string,
    from: number,
    events: HistoryEvent[],
    checkpoint: ExecutionCheckpoint
  ): Promise<void>;
  /** Deletes the history of every execution but `keepExecutionId`; returns how many rows went. */
  deleteHistory(instanceId: string, keepExecutionId?: string): Promise<number>;

  /** Sends a message, invisible for `delayMs`; the ref lets the sender delete or renew it unreceived. */
  send<T>(queue: QueueName, body: T, delayMs?: number): Promise<MessageRef>;
  receive<T>(queue: QueueName, count: number, visibilitySeconds: number): Promise<ReceivedMessage<T>[]>;
  /** Extends a received message's lease; may change `ref.popReceipt`. */
  renew(queue: QueueName, ref: MessageRef, visibilitySeconds: number): Promise<void>;
  deleteMessage(queue: QueueName, ref: MessageRef): Promise<void>;
  /**
   * Stores that know when a message becomes visible call `listener` then, so pollers need not poll;
   * the others never call it.
   */
  onVisible(listener: () => void): void;
}
