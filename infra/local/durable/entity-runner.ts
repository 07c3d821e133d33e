import type { RegisteredFunction } from '../host/function-registry';
import type { HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { fromTypedData } from '../host/typed-data';
import { newId, type Delivery, type WorkTracker } from './durable-common';
import { keepingErrorMessages } from './entity-errors';
import {
  admit,
  applyBatch,
  bindingInfo,
  entityIdOf,
  failedBatch,
  freshRequests,
  newEntityRow,
  parseEntityRow,
  requestOf,
  type EntityBatchResult,
  type EntityId,
  type EntityRequest,
  type EntityRow,
} from './entity-protocol';
import { newExecutionState } from './episode';
import type { InstanceRecord, TaskHubStore } from './task-hub-store';

export interface EntityRunnerOptions {
  store: TaskHubStore;
  runtime: Pick<HostRuntime, 'invoker' | 'logger'>;
  tracker: WorkTracker;
}

/** Operations one invocation of an entity function takes at most. */
const maxBatch = 100;

interface Loaded {
  record: InstanceRecord | undefined;
  row: EntityRow;
}

/**
 * Runs `df.app.entity` functions: the operations delivered for one entity go to its function in
 * batches, one batch at a time per entity and in arrival order (those of others than the holder of
 * a critical section wait in the row until it is released, see admit); each batch's state, with the ids of
 * its operations, is stored once in the entity's instance row, then its answers and signals are
 * sent and its messages acknowledged. A crash before the row is stored runs the batch again; after
 * it, the ids keep the operations from running twice.
 */
export class EntityRunner {
  #entities = new Map<string, RegisteredFunction>();
  #inbox = new Map<string, Delivery[]>();
  #running = new Set<string>();
  #cache = new Map<string, Loaded>();

  constructor(private readonly options: EntityRunnerOptions) {}

  register(fn: RegisteredFunction): void {
    this.#entities.set(fn.name.toLowerCase(), fn);
  }

  /** Drops the in-memory copy of an entity (its row was deleted). */
  forget(instanceId: string): void {
    this.#cache.delete(instanceId);
  }

  deliver(delivery: Delivery): void {
    const inbox = this.#inbox.get(delivery.instanceId) ?? [];
    if (!inbox.some((d) => d.key === delivery.key)) inbox.push(delivery);
    this.#inbox.set(delivery.instanceId, inbox);
    this.#schedule(delivery.instanceId);
  }

  #schedule(instanceId: string): void {
    if (this.#running.has(instanceId) || this.options.tracker.stopping()) return;
    const inbox = this.#inbox.get(instanceId);
    if (!inbox || inbox.length === 0) return;
    const batch = inbox.splice(0, maxBatch);
    if (inbox.length === 0) this.#inbox.delete(instanceId);
    this.#running.add(instanceId);
    const work = this.#runBatch(instanceId, batch)
      .catch((err) => {
        // The messages stay unacknowledged and come back after their lease.
        this.#cache.delete(instanceId);
        this.options.runtime.logger.log(
          'error',
          `[durable] entity ${instanceId}: batch failed: ${describeError(err)}`
        );
      })
      .finally(() => {
        this.#running.delete(instanceId);
        this.#schedule(instanceId);
        this.options.tracker.wake();
      });
    this.options.tracker.track(work);
  }

  async #load(instanceId: string): Promise<Loaded> {
    const cached = this.#cache.get(instanceId);
    if (cached) return cached;
    const record = await this.options.store.readInstance(instanceId);
    const row = record ? parseEntityRow(record.input) : newEntityRow();
    // What the last batch sent may not have gone out before the process that ran it stopped.
    for (const message of row.outbox) await this.options.store.send('control', message);
    const loaded = { record, row };
    this.#cache.set(instanceId, loaded);
    return loaded;
  }

  async #runBatch(instanceId: string, deliveries: Delivery[]): Promise<void> {
    const ack = () => Promise.all(deliveries.map((d) => d.ack()));
    const id = entityIdOf(instanceId);
    const requests = deliveries
      .map((d) => requestOf(d.event))
      .filter((r): r is EntityRequest => r !== undefined);
    if (!id || requests.length === 0) return void (await ack());
    const loaded = await this.#load(instanceId);
    const batch = freshRequests(loaded.row, requests);
    if (batch.length === 0) return void (await ack());

    const now = new Date();
    if (!this.#entities.has(id.name.toLowerCase())) {
      // Nothing is stored for a name no function answers to; its callers learn why.
      const reason = `The entity function '${id.name}' is not registered in this app.`;
      this.options.runtime.logger.log('warning', `[durable] ${instanceId}: ${reason}`);
      const result = failedBatch(loaded.row, batch, reason);
      const { outbox } = applyBatch({ row: loaded.row, batch, result, now, newId });
      for (const message of outbox) await this.options.store.send('control', message);
      return void (await ack());
    }
    const { run, ...admitted } = admit(loaded.row, batch, now);
    const result =
      run.length > 0
        ? await this.#invoke(id, loaded.row, run)
        : { entityExists: loaded.row.exists, entityState: loaded.row.state, results: [], signals: [] };
    const row = applyBatch({ row: loaded.row, batch: run, result, now, newId, taken: batch, admitted });
    const record = await this.#save(instanceId, id, loaded.record, row, now);
    this.#cache.set(instanceId, { record, row });
    for (const message of row.outbox) await this.options.store.send('control', message);
    await ack();
  }

  async #invoke(id: EntityId, row: EntityRow, batch: EntityRequest[]): Promise<EntityBatchResult> {
    const fn = this.#entities.get(id.name.toLowerCase())!;
    try {
      const outcome = await keepingErrorMessages(() =>
        this.options.runtime.invoker.invoke(fn, {
          data: { json: JSON.stringify(bindingInfo(id, row, batch)) },
        })
      );
      const result = fromTypedData(outcome.returnValue) as EntityBatchResult | undefined;
      if (!result || !Array.isArray(result.results))
        return failedBatch(row, batch, `The entity function '${id.name}' returned no results.`);
      return { ...result, signals: result.signals ?? [] };
    } catch (err) {
      return failedBatch(row, batch, describeError(err).split('\n')[0] ?? 'The entity function failed.');
    }
  }

  async #save(
    instanceId: string,
    id: EntityId,
    previous: InstanceRecord | undefined,
    row: EntityRow,
    now: Date
  ): Promise<InstanceRecord> {
    const at = now.toISOString();
    const record: InstanceRecord = {
      instanceId,
      name: id.name,
      executionId: '',
      runtimeStatus: 'Running',
      input: JSON.stringify(row),
      output: 'null',
      customStatus: 'null',
      createdTime: previous?.createdTime ?? at,
      lastUpdatedTime: at,
      state: newExecutionState(),
      historyCount: 0,
    };
    const { store } = this.options;
    record.etag = previous
      ? await store.writeInstance(record, previous.etag)
      : await store.createInstance(record);
    return record;
  }
}
