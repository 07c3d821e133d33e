import { TableTransaction, odata, type TableClient, type TableEntity } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { randomUUID } from 'crypto';
import type { StorageClients } from '../host/storage-clients';
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

export interface ReceivedMessage<T> {
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  body: T;
}

const checkpointSuffix = 'checkpoint';

/** Table properties hold 32K characters; anything longer goes to a blob, as the Azure Storage backend does. */
const inlineLimit = 30_000;
const blobMarker = '$blob:';

/**
 * Durable state in Azure Storage, laid out like the Durable Task Azure Storage backend: an
 * Instances table, a History table (one row per event), a control queue for orchestration messages,
 * a work-item queue for activities, and a container for payloads too large for a row or a message.
 */
export class DurableStore {
  readonly instances: TableClient;
  readonly history: TableClient;
  readonly control: QueueClient;
  readonly workItems: QueueClient;
  readonly largeMessages: ContainerClient;

  constructor(
    clients: StorageClients,
    connection: string | undefined,
    readonly hubName: string
  ) {
    this.instances = clients.table(connection, `${hubName}Instances`);
    this.history = clients.table(connection, `${hubName}History`);
    const queues = clients.queueService(connection);
    this.control = queues.getQueueClient(`${hubName.toLowerCase()}-control-00`);
    this.workItems = queues.getQueueClient(`${hubName.toLowerCase()}-workitems`);
    this.largeMessages = clients
      .blobService(connection)
      .getContainerClient(`${hubName.toLowerCase()}-largemessages`);
  }

  async init(): Promise<void> {
    await Promise.all([
      this.instances.createTable(),
      this.history.createTable(),
      this.control.createIfNotExists(),
      this.workItems.createIfNotExists(),
      this.largeMessages.createIfNotExists(),
    ]);
  }

  async readInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    try {
      const entity = await this.instances.getEntity<Record<string, unknown>>(instanceId, '');
      return await this.#fromEntity(entity);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Writes the record; with `etag`, only if nobody changed it since (412 otherwise). Returns the new ETag. */
  async writeInstance(record: InstanceRecord, etag?: string): Promise<string> {
    const entity = await this.#toEntity(record);
    const answer = etag
      ? await this.instances.updateEntity(entity, 'Replace', { etag })
      : await this.instances.upsertEntity(entity, 'Replace');
    return answer.etag ?? '';
  }

  async createInstance(record: InstanceRecord): Promise<string> {
    return (await this.instances.createEntity(await this.#toEntity(record))).etag ?? '';
  }

  async deleteInstance(instanceId: string): Promise<void> {
    await this.instances.deleteEntity(instanceId, '').catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }

  async listInstances(filter: string | undefined, pageSize: number, continuationToken?: string) {
    const pages = this.instances
      .listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : undefined })
      .byPage({ maxPageSize: pageSize, continuationToken });
    const next = await pages.next();
    if (next.done) return { items: [] as InstanceRecord[], continuationToken: undefined };
    const items = await Promise.all(next.value.map((e) => this.#fromEntity(e)));
    return { items, continuationToken: next.value.continuationToken };
  }

  async readExecution(
    instanceId: string,
    executionId: string
  ): Promise<{ history: HistoryEvent[]; checkpoint: ExecutionCheckpoint | undefined }> {
    const rows: { index: number; event: string }[] = [];
    let checkpoint: ExecutionCheckpoint | undefined;
    const entities = this.history.listEntities<{ rowKey: string; Event?: string; Checkpoint?: string }>({
      queryOptions: {
        filter: odata`PartitionKey eq ${instanceId} and RowKey ge ${`${executionId}:`} and RowKey lt ${`${executionId};`}`,
      },
    });
    for await (const row of entities) {
      const suffix = row.rowKey.slice(executionId.length + 1);
      if (suffix === checkpointSuffix && row.Checkpoint) {
        checkpoint = JSON.parse(await this.#unpack(row.Checkpoint)) as ExecutionCheckpoint;
      } else if (row.Event) rows.push({ index: Number(suffix), event: row.Event });
    }
    const count = checkpoint?.historyCount ?? 0;
    const history: HistoryEvent[] = [];
    for (const row of rows) {
      if (row.index < count) history[row.index] = JSON.parse(await this.#unpack(row.event)) as HistoryEvent;
    }
    return { history, checkpoint };
  }

  async readCheckpoint(instanceId: string, executionId: string): Promise<ExecutionCheckpoint | undefined> {
    try {
      const row = await this.history.getEntity<{ Checkpoint?: string }>(
        instanceId,
        `${executionId}:${checkpointSuffix}`
      );
      return row.Checkpoint
        ? (JSON.parse(await this.#unpack(row.Checkpoint)) as ExecutionCheckpoint)
        : undefined;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /**
   * Writes history rows `from`.. and the checkpoint, the last chunk and the checkpoint in one
   * transaction. Upserts, so an interrupted episode's rows are simply overwritten.
   */
  async commitEpisode(
    instanceId: string,
    executionId: string,
    from: number,
    events: HistoryEvent[],
    checkpoint: ExecutionCheckpoint
  ): Promise<void> {
    const rows: TableEntity<Record<string, unknown>>[] = [];
    for (let i = 0; i < events.length; i++) {
      rows.push({
        partitionKey: instanceId,
        rowKey: `${executionId}:${String(from + i).padStart(8, '0')}`,
        Event: await this.#pack(JSON.stringify(events[i])),
      });
    }
    rows.push({
      partitionKey: instanceId,
      rowKey: `${executionId}:${checkpointSuffix}`,
      Checkpoint: await this.#pack(JSON.stringify(checkpoint)),
    });
    // A table transaction takes 100 operations: earlier chunks may land alone, but the checkpoint
    // that makes them count goes with the last one.
    for (let start = 0; start < rows.length; start += 100) {
      const transaction = new TableTransaction();
      for (const row of rows.slice(start, start + 100)) transaction.upsertEntity(row, 'Replace');
      await this.history.submitTransaction(transaction.actions);
    }
  }

  async deleteHistory(instanceId: string, keepExecutionId?: string): Promise<number> {
    let deleted = 0;
    const rows = this.history.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${instanceId}`, select: ['RowKey'] },
    });
    const keys: string[] = [];
    for await (const row of rows) {
      if (!keepExecutionId || !row.rowKey!.startsWith(`${keepExecutionId}:`)) keys.push(row.rowKey!);
    }
    for (let start = 0; start < keys.length; start += 100) {
      const transaction = new TableTransaction();
      for (const key of keys.slice(start, start + 100)) transaction.deleteEntity(instanceId, key);
      await this.history.submitTransaction(transaction.actions);
      deleted += Math.min(100, keys.length - start);
    }
    return deleted;
  }

  /** Sends a message, invisible for `delayMs`; the receipt lets the sender delete it without receiving it. */
  async send<T>(
    queue: QueueClient,
    body: T,
    delayMs = 0
  ): Promise<{ messageId: string; popReceipt: string }> {
    const text = await this.#pack(JSON.stringify(body), 48_000);
    const visibilityTimeout = Math.min(Math.ceil(delayMs / 1000), 6 * 24 * 3600);
    const sent = await queue.sendMessage(text, { visibilityTimeout, messageTimeToLive: -1 });
    return { messageId: sent.messageId, popReceipt: sent.popReceipt };
  }

  async receive<T>(
    queue: QueueClient,
    count: number,
    visibilitySeconds: number
  ): Promise<ReceivedMessage<T>[]> {
    const answer = await queue.receiveMessages({
      numberOfMessages: Math.min(32, count),
      visibilityTimeout: visibilitySeconds,
    });
    return Promise.all(
      answer.receivedMessageItems.map(async (m) => ({
        messageId: m.messageId,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
        body: JSON.parse(await this.#unpack(m.messageText)) as T,
      }))
    );
  }

  async deleteMessage(queue: QueueClient, message: { messageId: string; popReceipt: string }): Promise<void> {
    await queue.deleteMessage(message.messageId, message.popReceipt).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }

  async #toEntity(record: InstanceRecord): Promise<TableEntity<Record<string, unknown>>> {
    return {
      partitionKey: record.instanceId,
      rowKey: '',
      Name: record.name,
      ExecutionId: record.executionId,
      RuntimeStatus: record.runtimeStatus,
      Input: await this.#pack(record.input),
      Output: await this.#pack(record.output),
      CustomStatus: await this.#pack(record.customStatus),
      CreatedTime: record.createdTime,
      LastUpdatedTime: record.lastUpdatedTime,
      Parent: record.parent ? JSON.stringify(record.parent) : '',
      State: await this.#pack(JSON.stringify(record.state)),
      HistoryCount: record.historyCount,
    };
  }

  async #fromEntity(entity: Record<string, unknown>): Promise<InstanceRecord> {
    const text = (name: string) => {
      const value = entity[name];
      return typeof value === 'string' ? value : '';
    };
    return {
      instanceId: text('partitionKey'),
      name: text('Name'),
      executionId: text('ExecutionId'),
      runtimeStatus: text('RuntimeStatus') as RuntimeStatus,
      input: await this.#unpack(text('Input')),
      output: await this.#unpack(text('Output')),
      customStatus: await this.#unpack(text('CustomStatus')),
      createdTime: text('CreatedTime'),
      lastUpdatedTime: text('LastUpdatedTime'),
      parent: text('Parent') ? (JSON.parse(text('Parent')) as ParentInstance) : undefined,
      state: JSON.parse(await this.#unpack(text('State'))) as ExecutionState,
      historyCount: Number(entity.HistoryCount ?? 0),
      etag: text('etag'),
    };
  }

  async #pack(text: string, limit = inlineLimit): Promise<string> {
    if (text.length <= limit) return text;
    const name = randomUUID();
    await this.largeMessages.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
    return `${blobMarker}${name}`;
  }

  async #unpack(text: string): Promise<string> {
    if (!text.startsWith(blobMarker)) return text;
    const content = await this.largeMessages.getBlobClient(text.slice(blobMarker.length)).downloadToBuffer();
    return content.toString('utf8');
  }
}
