import * as path from 'node:path';
import type { RegisteredFunction } from '../host/function-registry';
import type { HostExtension, HostRuntime } from '../host/local-host';
import { describeError } from '../host/logger';
import { timeSpanMs } from '../host/host-settings';
import { ActivityRunner } from './activity-runner';
import type { DurableSettings, WorkTracker } from './durable-common';
import { DurableClient } from './durable-client';
import { registerDurableHttpApi } from './durable-http-api';
import { AzureStorageTaskHubStore } from './azure-storage-store';
import { EpisodeRunner } from './episode-runner';
import { EntityClient } from './entity-client';
import { EntityRunner } from './entity-runner';
import { isEntityInstance } from './entity-protocol';
import { HttpCallRunner, httpActivityName } from './http-call';
import { JournaledTaskHubStore } from './journaled-store';
import type { ControlMessage, QueueName, ReceivedMessage, TaskHubStore, WorkItem } from './task-hub-store';

/** Where the task hub lives: an in-process store with a journal under the data dir, or Azure Storage. */
export type TaskHubStoreKind = 'journal' | 'azure-storage';

export interface DurableEngineOptions {
  functionsKey: string;
  store?: TaskHubStoreKind;
  /** The journaled store's files go under `<dataDir>/durable/<hub>`. */
  dataDir: string;
  /** Without it the journal is written but not fsynced: a kill -9 keeps it, a power cut may not. */
  fsync?: boolean;
}

/**
 * The local host's Durable Task engine: runs `df.app.orchestration`, `df.app.activity` and
 * `df.app.entity` functions through `durable-functions`' own code, with history and messages in a
 * task hub store (in process with a write-ahead journal, or Azure Storage on Azurite).
 * This extension wires its parts together and polls their queues: the client (the Durable HTTP API
 * and the `durableClient` binding), the episode runner (orchestrations, one episode at a time per
 * instance), the entity runner (control messages to `@name@key`), the activity runner and the HTTP
 * caller (work items of `callHttp`). Every message is deleted only after its effects are stored, so
 * a killed host resumes every instance on restart (activities are at-least-once, as in Azure).
 */
export class DurableEngine implements HostExtension {
  readonly name = 'durable';
  readonly triggerTypes = ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'];
  #runtime!: HostRuntime;
  #store!: TaskHubStore;
  #settings!: DurableSettings;
  #client!: DurableClient;
  #episodes!: EpisodeRunner;
  #activities!: ActivityRunner;
  #entities!: EntityRunner;
  #httpCalls!: HttpCallRunner;
  #stopping = false;
  #loops: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  #inFlight = new Set<Promise<unknown>>();
  #open!: () => void;
  #opened = new Promise<void>((resolve) => (this.#open = resolve));

  constructor(private readonly options: DurableEngineOptions) {}

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
    const store = (this.#store = this.#createStore());
    const tracker = this.#tracker();
    store.onVisible(() => tracker.wake());
    const common = { store, settings: this.#settings, runtime, tracker };
    this.#activities = new ActivityRunner({ ...common, deliver: (d) => this.#episodes.deliver(d) });
    this.#episodes = new EpisodeRunner({
      ...common,
      activities: this.#activities,
      startNew: (name, instanceId, input, parent) => this.#client.startNew(name, instanceId, input, parent),
    });
    this.#entities = new EntityRunner(common);
    this.#httpCalls = new HttpCallRunner({ ...common, deliver: (d) => this.#episodes.deliver(d) });
    this.#client = new DurableClient({
      store,
      functionsKey: this.options.functionsKey,
      origin: () => runtime.http.url,
      orchestrator: (name) => this.#episodes.orchestrator(name),
      forget: (instanceId) => {
        this.#episodes.forget(instanceId);
        this.#entities.forget(instanceId);
      },
    });
    runtime.invoker.inputResolvers.set('durableclient', () =>
      Promise.resolve({ json: JSON.stringify(this.#client.clientData()) })
    );
    registerDurableHttpApi(runtime.http, this.#client, new EntityClient(store), this.#opened);
  }

  #createStore(): TaskHubStore {
    const { hubName } = this.#settings;
    if (this.options.store === 'azure-storage')
      return new AzureStorageTaskHubStore(this.#runtime.clients, undefined, hubName);
    return new JournaledTaskHubStore({
      directory: path.join(this.options.dataDir, 'durable', hubName),
      hubName,
      fsync: this.options.fsync ?? true,
    });
  }

  get hubName(): string {
    return this.#settings.hubName;
  }

  get client(): DurableClient {
    return this.#client;
  }

  async start(functions: RegisteredFunction[]): Promise<void> {
    for (const fn of functions) {
      const type = (fn.trigger.type ?? '').toLowerCase();
      if (type === 'orchestrationtrigger') this.#episodes.register(fn);
      else if (type === 'activitytrigger') this.#activities.register(fn);
      else this.#entities.register(fn);
    }
    // The library rewrites client URLs to localhost:7071 unless it knows the site's host name.
    process.env.WEBSITE_HOSTNAME ??= new URL(this.#runtime.http.url).host;
    await this.#store.init();
    this.#open();
    this.#loops = [this.#controlLoop(), this.#workItemLoop()];
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#wakers) wake();
    await Promise.all(this.#loops);
    await Promise.race([Promise.all([...this.#inFlight]), sleep(graceMs)]);
    await this.#store.close();
  }

  #tracker(): WorkTracker {
    return {
      track: (work) => {
        this.#inFlight.add(work);
        void work.finally(() => this.#inFlight.delete(work));
      },
      wake: () => {
        for (const wake of this.#wakers) wake();
      },
      stopping: () => this.#stopping,
    };
  }

  #controlLoop(): Promise<void> {
    return this.#pollLoop<ControlMessage>(
      'control',
      () => (this.#episodes.freeSlots > 0 ? 32 : 0),
      this.#settings.controlVisibilitySeconds,
      (message) => {
        const delivery = {
          key: message.messageId,
          instanceId: message.body.instanceId,
          executionId: message.body.executionId,
          event: message.body.event,
          ack: () => this.#store.deleteMessage('control', message),
          retrySoon: () => this.#store.renew('control', message, retrySoonSeconds),
        };
        if (isEntityInstance(delivery.instanceId)) this.#entities.deliver(delivery);
        else this.#episodes.deliver(delivery);
      }
    );
  }

  #workItemLoop(): Promise<void> {
    return this.#pollLoop<WorkItem>(
      'workItems',
      () => this.#activities.freeSlots,
      this.#settings.workItemVisibilitySeconds,
      (item) =>
        item.body.name === httpActivityName ? this.#httpCalls.start(item) : this.#activities.start(item)
    );
  }

  /** Receives while there is capacity, backing off (up to maxQueuePollingInterval) when idle. */
  async #pollLoop<T>(
    queue: QueueName,
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
        this.#runtime.logger.log('warning', `[durable] ${queue}: ${describeError(err)}`);
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

/** A control message whose episode failed is visible again after this long, not its whole lease. */
const retrySoonSeconds = 1;

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
