import { TableTransaction, odata, type TableClient, type TableEntity } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { randomUUID } from 'crypto';
import type { StorageClients } from '../host/storage-clients';
import type { ExecutionState } from './episode';
import type { HistoryEvent, ParentInstance } from './history';
import {
  StoreConflictError,
  type ExecutionCheckpoint,
  type InstanceRecord,
  type MessageRef,
  type QueueName,
  type ReceivedMessage,
  type RuntimeStatus,
  type StatusQuery,
  type TaskHubStore,
} from './task-hub-store';

const checkpointSuffix = 'checkpoint';

/** Table properties hold 32K characters; anything longer goes to a blob, as the Azure Storage backend does. */
const inlineLimit = 30_000;
const blobMarker = '$blob:';

/**
 * The task hub in Azure Storage (Azurite here), laid out like the Durable Task Azure Storage backend: an
 * Instances table, a History table (one row per event), a control queue for orchestration messages,
 * a work-item queue for activities, and a container for payloads too large for a row or a message.
 */
export class AzureStorageTaskHubStore implements TaskHubStore {
  readonly instances: TableClient;
  readonly history: TableClient;
  readonly control: QueueClient;
  readonly workItems: QueueClient;
  readonly largeMessages: ContainerClient;
  readonly writesInOrder = false;

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
    const answer = await (
      etag
        ? this.instances.updateEntity(entity, 'Replace', { etag })
        : this.instances.upsertEntity(entity, 'Replace')
    ).catch(conflictAs(412, `Instance '${record.instanceId}' changed meanwhile.`));
    return answer.etag ?? '';
  }

  async createInstance(record: InstanceRecord): Promise<string> {
    const entity = await this.#toEntity(record);
    const answer = await this.instances
      .createEntity(entity)
      .catch(conflictAs(409, `Instance '${record.instanceId}' exists.`));
    return answer.etag ?? '';
  }

  async close(): Promise<void> {}

  onVisible(): void {}

  async deleteInstance(instanceId: string): Promise<void> {
    await this.instances.deleteEntity(instanceId, '').catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }

  async listInstances(query: StatusQuery) {
    const filter = instanceFilter(query);
    const pages = this.instances
      .listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : undefined })
      .byPage({ maxPageSize: query.pageSize, continuationToken: query.continuationToken });
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

  async send<T>(queue: QueueName, body: T, delayMs = 0): Promise<MessageRef> {
    const text = await this.#pack(JSON.stringify(body), 48_000);
    const visibilityTimeout = Math.min(Math.ceil(delayMs / 1000), 6 * 24 * 3600);
    const sent = await this.#queue(queue).sendMessage(text, { visibilityTimeout, messageTimeToLive: -1 });
    return { messageId: sent.messageId, popReceipt: sent.popReceipt };
  }

  async receive<T>(
    queue: QueueName,
    count: number,
    visibilitySeconds: number
  ): Promise<ReceivedMessage<T>[]> {
    const answer = await this.#queue(queue).receiveMessages({
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

  async renew(queue: QueueName, ref: MessageRef, visibilitySeconds: number): Promise<void> {
    const answer = await this.#queue(queue).updateMessage(
      ref.messageId,
      ref.popReceipt,
      undefined,
      visibilitySeconds
    );
    if (answer.popReceipt) ref.popReceipt = answer.popReceipt;
  }

  async deleteMessage(queue: QueueName, ref: MessageRef): Promise<void> {
    await this.#queue(queue)
      .deleteMessage(ref.messageId, ref.popReceipt)
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
  }

  #queue(name: QueueName): QueueClient {
    return name === 'control' ? this.control : this.workItems;
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

function conflictAs(statusCode: 409 | 412, message: string) {
  return (err: unknown): never => {
    if ((err as { statusCode?: number }).statusCode === statusCode)
      throw new StoreConflictError(statusCode, message);
    throw err instanceof Error ? err : new Error(String(err));
  };
}

/** The OData filter of an instance query (PartitionKey is the instance id). */
function instanceFilter(query: StatusQuery): string | undefined {
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
  return clauses.join(' and ') || undefined;
}
